import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A configuration value that must never reach a log, an error message or a response: JSON
 * serialisation, string conversion and `util.inspect` all print `[redacted]`, and the value itself is
 * reachable only through an explicit `reveal()` at the one place that needs it.
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** The secret value; call it where the value is used, never to pass it around. */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
