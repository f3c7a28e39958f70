/** One environment variable that failed validation, and why. */
export interface ConfigProblem {
  /** The variable's name, with an item or property path when the fault is inside it (`BROKERS[1]`). */
  readonly variable: string;
  readonly message: string;
}

/**
 * Thrown by `loadConfig` when the environment does not satisfy a program's schema. Every problem is
 * reported at once so an operator fixes the deployment in one pass rather than one restart per variable.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
  }
}
