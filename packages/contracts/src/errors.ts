import type { z } from 'zod';

/** Why an event could not be read. */
export type EventParseErrorCode = 'INVALID_EVENT' | 'UNKNOWN_EVENT_TYPE' | 'UNSUPPORTED_SCHEMA_VERSION';

/** One failing field: its dotted path from the event root (`payload.items.0.quantity`) and why. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * An event failed validation or could not be brought to its current shape. Never retriable: the
 * same bytes fail the same way, so a consumer sends the message to its dead-letter topic.
 */
export class EventParseError extends Error {
  override readonly name = 'EventParseError';
  /** The first failing field's path; `''` when the input itself is not an object. */
  readonly path: string;

  constructor(
    /** Why the event was rejected. */
    readonly code: EventParseErrorCode,
    /** Every failing field, first one first. */
    readonly issues: readonly [FieldIssue, ...FieldIssue[]],
  ) {
    const [first] = issues;
    super(`${code} at ${first.path === '' ? '(root)' : first.path}: ${first.message}`);
    this.path = first.path;
  }

  /**
   * Wraps zod issues: `prefix` is the path of the value zod parsed within the event, `note` is
   * appended to each message.
   */
  static fromZod(
    code: EventParseErrorCode,
    error: z.ZodError,
    prefix: readonly PropertyKey[] = [],
    note = '',
  ): EventParseError {
    const issues = error.issues.map(
      (issue): FieldIssue => ({
        path: [...prefix, ...issue.path].map(String).join('.'),
        message: issue.message + note,
      }),
    );
    const [first, ...rest] = issues;
    return new EventParseError(code, [first ?? { path: '', message: error.message }, ...rest]);
  }
}
