/** Time a test against the servers may take; passed to each hook and test, as jest reads `testTimeout` only from the root config. */
export const SERVER_TEST_TIMEOUT_MS = 60_000;
