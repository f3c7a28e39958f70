import { refusal, type Failure } from './failure.js';

/** Topic config as Kafka speaks it: every value a string. */
export type TopicConfig = Readonly<Record<string, string>>;

/** The outcome of {@link normalizeTopicConfig}. */
export type NormalizedConfig =
  | { readonly ok: true; readonly config: TopicConfig }
  | { readonly ok: false; readonly failure: Failure };

/**
 * Turns `spec.config` into Kafka's string values the way Strimzi does: strings as they are, numbers
 * and booleans in their plain decimal / `true` / `false` form, lists joined with commas (so
 * `cleanup.policy: [compact, delete]` is `compact,delete`). Anything else — null, an object, an
 * integer too large for a JSON number to carry exactly — is an `InvalidResource` failure naming
 * each offending key, since guessing would write a value nobody asked for.
 */
export function normalizeTopicConfig(config: Readonly<Record<string, unknown>> | undefined): NormalizedConfig {
  const normalized: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config ?? {})) {
    const text = Array.isArray(value) ? joinList(value) : scalarText(value);
    if (typeof text === 'string') normalized[key] = text;
    else problems.push(`spec.config.${key} ${text.problem}`);
  }
  if (problems.length > 0) return { ok: false, failure: refusal('InvalidResource', problems.join('; ')) };
  return { ok: true, config: normalized };
}

interface Problem {
  readonly problem: string;
}

function joinList(values: readonly unknown[]): string | Problem {
  const parts: string[] = [];
  for (const value of values) {
    const text = scalarText(value);
    if (typeof text !== 'string') return { problem: `has a list item that ${text.problem}` };
    parts.push(text);
  }
  return parts.join(',');
}

function scalarText(value: unknown): string | Problem {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { problem: 'is not a finite number' };
    // JSON numbers past 2^53 have already lost digits by the time they reach us; a string keeps them.
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      return { problem: `is an integer too large to be exact in JSON (${value}); quote it as a string` };
    }
    return String(value);
  }
  return { problem: 'must be a string, a number, a boolean or a list of those' };
}
