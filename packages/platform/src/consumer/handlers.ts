import type { DomainEvent, EventOf, EventType } from '@msa/contracts';
import type { IHeaders } from 'kafkajs';
import type { Logger } from 'pino';
import type { Transaction } from '../postgres/transaction.js';

/** A consumed message's identity and metadata, as the runner reports it. */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as the decimal string kafkajs gives. */
  readonly offset: string;
  /** The key as UTF-8; `null` for a message without one. */
  readonly key: string | null;
  /** Milliseconds since the epoch, as kafkajs gives it. */
  readonly timestamp: string;
  readonly headers: IHeaders;
}

/** What a handler receives beside its event. */
export interface HandlerContext {
  /**
   * The open transaction in which the runner records the event as handled: write the handler's
   * effects through `tx.client` (or pass `tx` to the event store) so both commit or neither does.
   * Never commit or roll it back; `tx.afterCommit` hooks run once it has committed.
   */
  readonly tx: Transaction;
  /** The consumed message the event came from. */
  readonly message: SourceRecord;
  /** This attempt's number, 1 for the first. */
  readonly attempt: number;
  /** A child logger carrying the group, topic, partition, offset and event id. */
  readonly log: Logger;
}

/**
 * Handles one event. Throw `RetriableError` for a failure that may pass and `NonRetriableError` for
 * one that will not; other errors are sorted by `classifyError`.
 */
export type EventHandler<E extends DomainEvent = DomainEvent> = (event: E, context: HandlerContext) => Promise<void>;

/** A group's handlers by event type; a consumed event without one is dead-lettered. */
export type EventHandlers = { readonly [T in EventType]?: EventHandler<EventOf<T>> };

/** The handler for `event`'s type, if the group has one. */
export function handlerFor(handlers: EventHandlers, event: DomainEvent): EventHandler | undefined {
  // TypeScript cannot correlate a mapped type's key with the union member it was looked up by; the
  // map's type guarantees the handler found under `event.eventType` takes that very event type.
  return handlers[event.eventType] as EventHandler | undefined;
}
