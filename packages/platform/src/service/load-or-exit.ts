import { ConfigError } from '../config/config-error.js';

/** Where `loadOrExit` reports and how it ends the program; the process's own by default. */
export interface LoadOrExitOptions {
  /** Where the message goes. @default process.stderr */
  readonly stderr?: { write(text: string): unknown };
  /** How the program ends. @default process.exit */
  readonly exit?: (code: number) => never;
}

/**
 * Loads a program's configuration at start-up through `load` (a `loadConfig` call), or stops the
 * program: the `ConfigError`'s message, which names every bad variable, goes to stderr after the
 * program's name, and the process exits 1. Plain stderr, since no logger exists yet (its level is
 * configuration too). Any other error is thrown on.
 */
export function loadOrExit<T>(
  program: string,
  load: () => T,
  { stderr = process.stderr, exit = (code) => process.exit(code) }: LoadOrExitOptions = {},
): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr.write(`${program}: ${error.message}\n`);
    return exit(1);
  }
}
