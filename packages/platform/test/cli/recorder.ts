import type { DomainEvent } from '@msa/contracts';
import { RetriableError, type EventHandlers } from '../../src/consumer/index.js';

/** Handlers of the user events that note what they handled and fail for aggregates marked broken. */
export interface Recorder {
  /** Aggregates whose events fail, retriably, until taken out: their keys end up parked. */
  readonly broken: Set<string>;
  /** `<aggregateId>:<version>` of each event handled, in order. */
  readonly handled: string[];
  readonly handlers: EventHandlers;
}

/** A `Recorder` whose failures read as `outage` (what a downstream dependency would say). */
export function createRecorder(outage: string): Recorder {
  const broken = new Set<string>();
  const handled: string[] = [];
  const record = (event: DomainEvent) =>
    broken.has(event.aggregateId)
      ? Promise.reject(new RetriableError(outage))
      : Promise.resolve(void handled.push(`${event.aggregateId}:${event.version}`));
  return { broken, handled, handlers: { UserCreated: record, UserUpdated: record } };
}
