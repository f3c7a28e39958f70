import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';

/** A zod object whose keys are environment variable names. */
export type ConfigSchema = z.ZodObject;

/**
 * Parses the environment once, at start-up, against a program's schema (keys are variable names) and
 * returns the typed result, or throws a `ConfigError` naming each bad variable and why.
 *
 * Only the schema's own keys are read, and a variable set to the empty string counts as unset: that is
 * how an unfilled Kubernetes `env` entry arrives, and it should fall back to the default or be reported
 * as missing rather than fail as a malformed value.
 */
export function loadConfig<S extends ConfigSchema>(
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): z.output<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => toProblem(issue, input)));
}

function toProblem(issue: z.core.$ZodIssue, input: Record<string, string | undefined>): ConfigProblem {
  const [variable = '(config)', ...rest] = issue.path.map(String);
  if (rest.length === 0 && issue.code === 'invalid_type' && input[variable] === undefined) {
    return { variable, message: 'required but not set' };
  }
  const suffix = issue.path
    .slice(1)
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`));
  return { variable: `${variable}${suffix.join('')}`, message: issue.message };
}
