import { parseEvent, type DomainEvent } from '@msa/contracts';
import { checkAppend, NO_STREAM } from '../event-store/append-request.js';
import { ConcurrencyError, InvalidAppendError } from '../event-store/errors.js';
import type { EventStore } from '../event-store/event-store.js';
import type { RecordedEvent } from '../event-store/rows.js';

/** Options for `createInMemoryEventStore`. */
export interface InMemoryEventStoreOptions {
  /** The store's time, recorded as each append's `recordedAt`. @default () => new Date() */
  readonly clock?: () => Date;
}

/** Runs `work` as the store's answer: its value resolves, its throw rejects. */
function answer<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

/** The event as the real store hands it back: through JSON and the contracts, so `undefined` fields are gone. */
function asStored(event: DomainEvent): DomainEvent {
  const parsed = parseEvent(JSON.parse(JSON.stringify(event)));
  if (!parsed.success) throw new InvalidAppendError(`event ${event.eventId} does not parse: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * The event store port in memory, for specs that need no PostgreSQL. Appends are judged as the
 * PostgreSQL store judges them: the same `InvalidAppendError` rules, and a `ConcurrencyError` with
 * the same `streamId`, `expected` and `actual` when the stream is not at the expected version. Every
 * append commits at once; a caller's `tx` is ignored, since there is no transaction to join.
 */
export function createInMemoryEventStore({ clock = () => new Date() }: InMemoryEventStoreOptions = {}): EventStore {
  const log: RecordedEvent[] = [];
  const streams = new Map<string, DomainEvent[]>();

  return {
    append(streamId, expectedVersion, events) {
      return answer(() => {
        checkAppend(expectedVersion, events);
        const stored = events.map(asStored);
        const stream = streams.get(streamId) ?? [];
        const actual = stream.at(-1)?.version ?? NO_STREAM;
        if (actual !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion, actual);
        // checkAppend saw one aggregate in the append; the stream must hold that same one.
        const [owner] = stream;
        const [first] = stored;
        if (owner !== undefined && (owner.aggregateType !== first?.aggregateType || owner.aggregateId !== first.aggregateId)) {
          throw new InvalidAppendError(`stream ${streamId} belongs to ${owner.aggregateType}/${owner.aggregateId}`);
        }
        const recordedAt = clock();
        for (const event of stored) log.push({ position: log.length + 1, streamId, recordedAt, event });
        streams.set(streamId, [...stream, ...stored]);
        return { nextExpectedVersion: expectedVersion + events.length };
      });
    },

    readStream(streamId, { afterVersion = 0 } = {}) {
      return answer(() => {
        const events = (streams.get(streamId) ?? []).filter((event) => event.version > afterVersion);
        return { version: events.at(-1)?.version ?? afterVersion, events };
      });
    },

    readAll(afterPosition = 0, limit = 1_000) {
      return answer(() => {
        if (afterPosition !== 0 && log[afterPosition - 1] === undefined) throw new RangeError(`no event at position ${afterPosition}`);
        return log.slice(afterPosition, afterPosition + limit);
      });
    },

    readByTimeRange({ from, to, eventTypes, aggregateType, limit = 1_000 }) {
      return answer(() =>
        log
          .filter(({ event }) => {
            const at = Date.parse(event.occurredAt);
            return (
              at >= from.getTime() &&
              at < to.getTime() &&
              (eventTypes === undefined || eventTypes.includes(event.eventType)) &&
              (aggregateType === undefined || event.aggregateType === aggregateType)
            );
          })
          .toSorted((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.position - b.position)
          .slice(0, limit),
      );
    },
  };
}
