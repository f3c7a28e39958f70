/**
 * What a handler throws to say whether trying again can help, in the way kafkajs marks its own errors:
 * a `retriable` flag the runner reads before spending another attempt. Errors that are neither are
 * sorted by `classifyError`.
 */
export abstract class ConsumerError extends Error {
  /** Whether the same message, handled again a little later, may succeed. */
  abstract readonly retriable: boolean;
}

/**
 * A failure that may pass: a dependency is briefly unavailable, a lock or serialization conflict, data
 * from another stream that has not arrived yet. The message is retried with backoff, then dead-lettered.
 */
export class RetriableError extends ConsumerError {
  override readonly name: string = 'RetriableError';
  readonly retriable = true;
}

/**
 * A failure that will repeat on every attempt: the event breaks a rule the handler enforces, or no
 * handler exists for it. The message goes straight to the dead-letter topic.
 */
export class NonRetriableError extends ConsumerError {
  override readonly name: string = 'NonRetriableError';
  readonly retriable = false;
}

/** The runner was given something it cannot work with; thrown by `start()` before consuming. */
export class ConsumerConfigError extends Error {
  override readonly name = 'ConsumerConfigError';
}
