/**
 * Time a test against the servers may take. Passed to each hook and test: jest reads `testTimeout`
 * only from the root config, not from a project's, so the integration project's setting does not apply.
 */
export const SERVER_TEST_TIMEOUT_MS = 60_000;
