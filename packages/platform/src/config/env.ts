import { z } from 'zod';
import { signingJwkSchema, verificationJwksSchema } from './jwk.js';
import { Secret } from './secret.js';

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Options for `env.integer`. */
export interface IntegerOptions {
  readonly min?: number;
  readonly max?: number;
}

/** Options for `env.url`. */
export interface UrlOptions {
  /** Accepted schemes with their colon, e.g. `['postgres:', 'postgresql:']`; any when omitted. */
  readonly protocols?: readonly string[];
}

function integer({ min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER }: IntegerOptions = {}) {
  return z.string().transform((raw, ctx) => {
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isSafeInteger(value)) {
      ctx.addIssue({ code: 'custom', message: `expected an integer, got "${raw}"` });
      return z.NEVER;
    }
    if (value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}, got ${value}` });
      return z.NEVER;
    }
    return value;
  });
}

/** Values that never appear in error messages: URLs may carry credentials, keys are keys. */
function url({ protocols }: UrlOptions = {}) {
  return z.string().transform((raw, ctx) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected an absolute URL such as scheme://host:port/path' });
      return z.NEVER;
    }
    if (protocols && !protocols.includes(parsed.protocol)) {
      const message = `expected a URL with scheme ${protocols.join(' or ')}, got ${parsed.protocol}`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return raw;
  });
}

function duration() {
  return z.string().transform((raw, ctx) => {
    const match = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
    if (!match) {
      const message = `expected a duration such as 500ms, 30s, 5m, 1h or 1d, got "${raw}"`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    const [, amount = '', unit = 'ms'] = match;
    return Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  });
}

function boolean() {
  return z.string().transform((raw, ctx) => {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    ctx.addIssue({ code: 'custom', message: `expected true/false, yes/no, on/off or 1/0, got "${raw}"` });
    return z.NEVER;
  });
}

type CommaSeparated = z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>>;

function list<T extends z.ZodType<unknown, string>>(item: T): z.ZodPipe<CommaSeparated, z.ZodArray<T>>;
function list(): z.ZodPipe<CommaSeparated, z.ZodArray<z.ZodString>>;
function list(item: z.ZodType<unknown, string> = z.string()) {
  const items = z.string().transform((raw) =>
    raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  );
  return items.pipe(z.array(item).min(1, 'expected at least one comma-separated item'));
}

function secret<T>(inner: z.ZodType<T, string>): z.ZodPipe<z.ZodType<T, string>, z.ZodTransform<Secret<T>, T>>;
function secret(): z.ZodPipe<z.ZodString, z.ZodTransform<Secret, string>>;
function secret(inner: z.ZodType<unknown, string> = z.string().min(1, 'must not be empty')) {
  return inner.transform((value) => new Secret(value));
}

/** JSON parse errors quote the input, so the message here deliberately does not pass them on. */
function json(what: string) {
  return z.string().transform((raw, ctx): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected ${what} as JSON, and this is not valid JSON` });
      return z.NEVER;
    }
  });
}

/**
 * Field builders for `loadConfig` schemas. Each reads the variable's raw string and reports a message
 * that names what was expected and, where the value is not sensitive, what arrived. Combine with zod's
 * `.default()` and `.optional()`: `PORT: env.port().default(8081)`.
 */
export const env = {
  /** A TCP port, 0–65535 (0 asks the OS for a free one). */
  port: () => integer({ min: 0, max: 65_535 }),
  /** A whole number, optionally bounded. */
  integer,
  /** An absolute URL, kept as the string given; the value is never echoed in errors. */
  url,
  /** `500ms`, `30s`, `5m`, `1h` or `1d`, as milliseconds. */
  duration,
  /** `true/false`, `yes/no`, `on/off` or `1/0`, case-insensitive. */
  boolean,
  /** Comma-separated items, trimmed, empty items dropped, each validated by `item` when given. */
  list,
  /** A value wrapped in `Secret` so it cannot be logged; `inner` validates it first. */
  secret,
  /** A pino log level. */
  logLevel: () => z.enum(LOG_LEVELS),
  /** A private signing JWK (JSON) with a `kid`, kept as a `Secret`. */
  signingKey: () => json('a private JWK').pipe(signingJwkSchema).transform((key) => new Secret(key)),
  /** A JWK Set (JSON, `{"keys":[…]}`) of public verification keys, each with a `kid`. */
  verificationKeys: () => json('a JWK Set').pipe(verificationJwksSchema),
};
