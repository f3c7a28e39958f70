import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { PlatformMetrics } from '../telemetry/metrics.js';
import type { SessionStatements } from './leadership.js';
import type { OutboxRow, TopicResolver } from './messages.js';
import type { RelayPublisher } from './publisher.js';
import {
  countUnpublishable,
  finishRelease,
  loadHeldStreams,
  readHeldEvents,
  recordUnpublishable,
  requestedReleases,
  type UnpublishableEntry,
} from './unpublishable.js';

/** The leader's held streams during one leadership: what it records of them and how it releases them. */
export interface HeldStreams {
  /** Streams whose events wait behind an unpublishable one; `RelayPublisher.publish` adds to it. */
  readonly streams: Set<string>;
  /** Records what a batch left unpublished. Call before the checkpoint passes those events. */
  record(entries: readonly UnpublishableEntry[]): Promise<void>;
  /**
   * Publishes, in order, the held events of each stream an operator released, once `intervalMs` has
   * passed since the last look. Returns what Kafka acknowledged.
   */
  releaseRequested(intervalMs: number): Promise<readonly OutboxRow[]>;
  /** The leadership ended: the gauge is the leader's to report, so it goes back to 0. */
  end(): void;
}

/** Options for `openHeldStreams`. */
export interface HeldStreamsOptions {
  /** The leader session's connection: what it writes cannot land once the leadership is lost. */
  readonly client: SessionStatements;
  readonly relay: string;
  readonly publisher: RelayPublisher;
  readonly resolveTopic: TopicResolver;
  readonly logger: Logger;
  readonly metrics: PlatformMetrics | undefined;
  /** Runs before every send, as for the relay's own batches. */
  readonly beforeSend: () => void;
}

/** Loads the relay's held streams at the start of a leadership. */
export async function openHeldStreams(options: HeldStreamsOptions): Promise<HeldStreams> {
  const { client, relay, publisher, resolveTopic, logger: log, metrics, beforeSend } = options;
  const streams = await loadHeldStreams(client, relay);
  let lookedAt = Number.NEGATIVE_INFINITY;

  async function refreshGauge(): Promise<void> {
    if (metrics !== undefined) metrics.outboxUnpublishableEvents.set(await countUnpublishable(client, relay));
  }

  async function record(entries: readonly UnpublishableEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await recordUnpublishable(client, relay, entries);
    const refused = entries.filter((entry) => entry.reason !== null);
    if (refused.length > 0) {
      const events = refused.map(({ row, reason }) => ({
        eventId: row.event_id,
        streamId: row.stream_id,
        position: row.position,
        topic: resolveTopic(row.topic),
        reason,
      }));
      log.error({ events }, 'Kafka can never take these events: recorded as unpublishable, their streams held (dlt outbox list)');
    }
    const heldBehind = entries.length - refused.length;
    if (heldBehind > 0) log.warn({ events: heldBehind }, 'events held back behind unpublishable events of their streams');
    await refreshGauge();
  }

  async function release(stream: string): Promise<readonly OutboxRow[]> {
    const rows = await readHeldEvents(client, relay, stream);
    streams.delete(stream);
    const { published, unpublished } = await publisher.publish(rows, streams, beforeSend);
    await recordUnpublishable(client, relay, unpublished);
    await finishRelease(client, relay, stream, published);
    if (streams.has(stream)) {
      const reason = unpublished.find((entry) => entry.reason !== null)?.reason;
      log.error({ streamId: stream, published: published.length, held: unpublished.length, reason }, 'released stream refused again: held again');
    } else {
      log.info({ streamId: stream, published: published.length }, 'released stream published in order; its events flow again');
    }
    return published;
  }

  await refreshGauge();
  return {
    streams,
    record,
    async releaseRequested(intervalMs) {
      // Nothing is held, so nothing can be released: no statement on the common path.
      if (streams.size === 0 || performance.now() - lookedAt < intervalMs) return [];
      lookedAt = performance.now();
      const published: OutboxRow[] = [];
      const requested = await requestedReleases(client, relay);
      for (const stream of requested) published.push(...(await release(stream)));
      if (requested.length > 0) await refreshGauge();
      return published;
    },
    end() {
      metrics?.outboxUnpublishableEvents.set(0);
    },
  };
}
