import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { backoffDelayMs, type Backoff } from '../domain/backoff.js';
import type { PlatformMetrics } from '../telemetry/metrics.js';
import { LeadershipLostError, tryLead, type LeaderSession } from './leadership.js';
import { cursorAfter, loadCheckpoint, measureLag, readLog, saveCheckpoint, type Cursor, type LogRead } from './log-reader.js';
import { MIN_RELAY_BATCH_BYTES } from './config.js';
import { openHeldStreams } from './held-streams.js';
import type { OutboxRow, TopicResolver } from './messages.js';
import { createRelayPublisher } from './publisher.js';
import { sleep, WakeSignal } from './wake-signal.js';

/** An event Kafka has acknowledged. */
export interface PublishedEvent {
  readonly eventId: string;
  readonly position: number;
  /** The topic it was written to. */
  readonly topic: string;
}

/** Options for `createOutboxRelay`. */
export interface OutboxRelayOptions {
  /** The service's database; the leader opens one extra connection with the same settings. */
  readonly pool: pg.Pool;
  readonly kafka: Kafka;
  readonly logger: Logger;
  /** Where to report `outbox_lag_events`, `outbox_lag_seconds` and `outbox_published_total`. */
  readonly metrics?: PlatformMetrics;
  /** Relays of one name share one checkpoint and elect one leader. @default 'default' */
  readonly name?: string;
  /** Maps the catalog topic stored with each event to the topic written. @default the identity */
  readonly resolveTopic?: TopicResolver;
  /** Most events read at once. @default 1000 */
  readonly batchSize?: number;
  /**
   * Most bytes of records per send, counting key, value, headers and Kafka's framing; a larger batch
   * goes out in several sends. Keep it at most the topics' `max.message.bytes`: an event larger
   * than this on its own is recorded as unpublishable. @default 1000000 (Kafka's default is 1 MiB)
   */
  readonly maxBatchBytes?: number;
  /** Longest wait for work without a notification. @default 1000 */
  readonly pollIntervalMs?: number;
  /**
   * Most time between the acknowledgement of a batch and the checkpoint write that records it. A
   * write per batch cost a round trip and a transaction per event at a steady trickle; a crash
   * republishes at most this much (at least once, consumers dedupe). @default 250
   */
  readonly checkpointIntervalMs?: number;
  /**
   * Whether the store's `events_appended` notifications wake the leader; without them it finds new
   * events only every `pollIntervalMs` (the naive baseline, `OUTBOX_POLL_ONLY`). @default true
   */
  readonly wakeOnAppend?: boolean;
  /** How often a follower tries to take over the leadership. @default 2000 */
  readonly leaderRetryMs?: number;
  /**
   * PostgreSQL ends the leader's session after this long without a statement from it, which frees
   * the lock of a leader that froze or lost its host: a follower takes over within this plus
   * `leaderRetryMs`. The leader heartbeats six times as often. At least 1000. @default 6000
   */
  readonly leaderTimeoutMs?: number;
  /** How often the leader measures its lag. @default 5000 */
  readonly lagIntervalMs?: number;
  /** How long `stop` waits for the batch in flight before disconnecting from Kafka. @default 10000 */
  readonly stopTimeoutMs?: number;
  /** Called after each batch Kafka acknowledged, in order. */
  readonly onPublished?: (events: readonly PublishedEvent[]) => void;
}

/** The outbox relay of one database. */
export interface OutboxRelay {
  /** Starts contending for the leadership in the background; the leader publishes until `stop`. */
  start(): void;
  /** Finishes the batch in flight, records its checkpoint, gives up the leadership and disconnects. */
  stop(): Promise<void>;
  /** Whether this instance is currently the one publishing. */
  readonly isLeader: boolean;
}

// When committed events wait behind an open older transaction, look again after this long, doubling
// up to the maximum while it stays open; its own commit usually notifies first.
const HORIZON_RETRY_MIN_MS = 1;
const HORIZON_RETRY_MAX_MS = 64;
// After a failed leadership: 0.5, 1, then 2 s between tries. A try against a broker that is down
// spends kafkajs's own retries first (BROKER_RESTART_RETRY, about 30 s, at most one connection a
// second), so the pause only spaces tries against a PostgreSQL that refuses, and once the failure
// passes the relay is back within 2 s, where a 10 s cap (2, 4, 8, 10 s) added up to 8 s.
const FAILURE_BACKOFF: Backoff = { baseMs: 500, multiplier: 2, maxMs: 2_000, jitter: 0.2 };
const PRODUCER_DISCONNECT_TIMEOUT_MS = 5_000;

/**
 * Publishes the events the event store appended, in the order and to the topics stored with them,
 * keyed by aggregate id, at least once. One relay per database leads (an advisory lock); it wakes on
 * the store's notifications and advances its checkpoint only after Kafka acknowledged. See DESIGN.md.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const {
    pool,
    kafka,
    metrics,
    name = 'default',
    resolveTopic = (topic: string) => topic,
    batchSize = 1_000,
    maxBatchBytes = 1_000_000,
    pollIntervalMs = 1_000,
    checkpointIntervalMs = 250,
    wakeOnAppend = true,
    leaderRetryMs = 2_000,
    leaderTimeoutMs = 6_000,
    lagIntervalMs = 5_000,
    stopTimeoutMs = 10_000,
    onPublished,
  } = options;
  if (!Number.isInteger(leaderTimeoutMs) || leaderTimeoutMs < 1_000) {
    throw new RangeError(`leaderTimeoutMs must be a whole number of at least 1000, got ${leaderTimeoutMs}`);
  }
  if (!Number.isInteger(maxBatchBytes) || maxBatchBytes < MIN_RELAY_BATCH_BYTES) {
    throw new RangeError(`maxBatchBytes must be a whole number of at least ${MIN_RELAY_BATCH_BYTES}, got ${maxBatchBytes}`);
  }
  const log = options.logger.child({ component: 'outbox-relay', relay: name });
  const publisher = createRelayPublisher({ kafka, resolveTopic, maxBatchBytes, logger: log, disconnectTimeoutMs: PRODUCER_DISCONNECT_TIMEOUT_MS });
  const wake = new WakeSignal();
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  let leader = false;

  function report(rows: readonly OutboxRow[]): void {
    if (rows.length === 0) return;
    const published = rows.map((row) => ({
      eventId: row.event_id,
      position: Number(row.position),
      topic: resolveTopic(row.topic),
    }));
    if (metrics !== undefined) {
      const perTopic = new Map<string, number>();
      for (const { topic } of published) perTopic.set(topic, (perTopic.get(topic) ?? 0) + 1);
      for (const [topic, count] of perTopic) metrics.outboxPublished.inc({ topic }, count);
    }
    onPublished?.(published);
  }

  /** Measures the lag now and then every `lagIntervalMs`, one measurement at a time, until stopped. */
  function watchLag(acked: () => Cursor): () => void {
    if (metrics === undefined) return () => undefined;
    let timer: NodeJS.Timeout | undefined;
    let watching = true;
    const measure = (): void => {
      measureLag(pool, acked())
        .then(
          ({ events, seconds }) => {
            if (!watching) return;
            metrics.outboxLagEvents.set(events);
            metrics.outboxLagSeconds.set(seconds);
          },
          (error: unknown) => {
            log.warn({ err: error }, 'could not measure the outbox lag');
          },
        )
        .finally(() => {
          if (watching) timer = setTimeout(measure, lagIntervalMs);
        });
    };
    measure();
    return () => {
      watching = false;
      clearTimeout(timer);
      metrics.outboxLagEvents.set(0);
      metrics.outboxLagSeconds.set(0);
    };
  }

  async function publish(session: LeaderSession, signal: AbortSignal): Promise<void> {
    let acked = await loadCheckpoint(session.client, name);
    // A leader that may have lost its lock (it was frozen, or cut off from PostgreSQL) sends no
    // more: what it had already sent can at worst arrive twice.
    const beforeSend = (): void => {
      session.assertLeading();
    };
    const held = await openHeldStreams({ client: session.client, relay: name, publisher, resolveTopic, logger: log, metrics, beforeSend });
    let read = acked;
    let horizonRetryMs = HORIZON_RETRY_MIN_MS;
    let next: Promise<LogRead> | undefined;
    let saved = acked;
    let savedAt = performance.now();
    let saving: Promise<void> = Promise.resolve();
    const stopWatching = watchLag(() => acked);
    /** How long until the checkpoint is due: 0 when it is, Infinity while it is current. */
    const untilCheckpointDue = (): number =>
      acked === saved ? Number.POSITIVE_INFINITY : Math.max(0, savedAt + checkpointIntervalMs - performance.now());
    /**
     * The checkpoint goes out on the leader connection behind any read already sent; the next write
     * waits for this one, so a failed write still ends this leadership.
     */
    const saveCheckpointNow = async (): Promise<void> => {
      if (acked === saved) return;
      await saving;
      saved = acked;
      savedAt = performance.now();
      saving = saveCheckpoint(session.client, name, saved);
      saving.catch(() => undefined);
    };
    log.info({ checkpoint: acked, heldStreams: held.streams.size }, 'leading: publishing from the checkpoint');
    try {
      while (!signal.aborted) {
        report(await held.releaseRequested(pollIntervalMs));
        if (untilCheckpointDue() === 0) await saveCheckpointNow();
        if (next === undefined) {
          wake.clear();
          next = readLog(session.client, read, batchSize);
        }
        const { rows, blocked } = await next;
        next = undefined;
        const last = rows.at(-1);
        if (last !== undefined) {
          read = cursorAfter(last);
          if (rows.length === batchSize) {
            // A backlog: read the next batch while Kafka acknowledges this one (it is sent after).
            wake.clear();
            next = readLog(session.client, read, batchSize);
            next.catch(() => undefined);
          }
          const { published, unpublished } = await publisher.publish(rows, held.streams, beforeSend);
          // Recorded before the checkpoint passes them, on the same connection: never skipped unseen.
          await held.record(unpublished);
          acked = read;
          report(published);
          if (next !== undefined) continue;
          horizonRetryMs = HORIZON_RETRY_MIN_MS;
        }
        // Caught up with what the read saw. Whatever committed since has notified the wake signal,
        // cleared before that read, so the wait ends at once; otherwise it lasts until a notification,
        // the poll, or the checkpoint falling due. Events behind the horizon are looked at again soon,
        // the wait doubling while the older transaction stays open: its own commit usually notifies.
        // A checkpoint falling due while nothing new came is written without another read.
        const waitUntil = performance.now() + (blocked ? horizonRetryMs : pollIntervalMs);
        for (let waiting = true; waiting; ) {
          const leftMs = waitUntil - performance.now();
          const checkpointDueMs = untilCheckpointDue();
          const notified = await wake.wait(Math.min(leftMs, checkpointDueMs), signal);
          // Once the checkpoint is current, untilCheckpointDue is Infinity: an abort ends this too.
          waiting = !notified && checkpointDueMs < leftMs;
          if (waiting) await saveCheckpointNow();
        }
        horizonRetryMs = blocked ? Math.min(horizonRetryMs * 2, HORIZON_RETRY_MAX_MS) : HORIZON_RETRY_MIN_MS;
      }
      // Stopping (not a lost session): what Kafka acknowledged is recorded before the lock goes.
      if (!session.lost.aborted) await saveCheckpointNow();
      await saving;
    } finally {
      stopWatching();
      held.end();
      await Promise.allSettled([next, saving]);
    }
  }

  /**
   * One turn: takes the lock if it is free and publishes until the leadership ends. Returns whether
   * this process led; throws what ended a leadership other than its loss or `stop`.
   */
  async function leadOnce(): Promise<boolean> {
    const session = await tryLead(pool.options, name, leaderTimeoutMs, () => {
      if (wakeOnAppend) wake.notify();
    });
    if (session === undefined) return false;
    leader = true;
    let lostBecause: Error | undefined;
    try {
      // Leading ends with the session or at `stop`, including a stop that came while the lock was
      // being taken: `any` starts out aborted then, where an abort listener added late never fires.
      const leading = AbortSignal.any([stopping.signal, session.lost]);
      await publish(session, leading);
      lostBecause = session.lostBecause;
    } catch (error) {
      // What fails once the session is gone (its statements, a send refused for want of a lease) is
      // the loss itself, not a fault of the relay's.
      lostBecause = error instanceof LeadershipLostError ? error : session.lostBecause;
      if (lostBecause === undefined) throw error;
    } finally {
      leader = false;
      await session.close();
    }
    if (lostBecause !== undefined && !stopping.signal.aborted) {
      log.warn({ err: lostBecause }, 'lost the leadership; contending again');
    }
    return true;
  }

  async function contend(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      try {
        const led = await leadOnce();
        failures = 0;
        if (!led) await sleep(leaderRetryMs, stopping.signal);
      } catch (error) {
        // The session is closed by now: another relay may lead while this one pauses.
        failures += 1;
        const backoffMs = backoffDelayMs(FAILURE_BACKOFF, failures, Math.random);
        log.error({ err: error, backoffMs }, 'relay failed; contending again after a pause');
        await sleep(backoffMs, stopping.signal);
      }
    }
  }

  return {
    start() {
      if (stopping.signal.aborted) throw new Error('a stopped relay cannot start again');
      running ??= contend();
    },
    async stop() {
      stopping.abort();
      if (running !== undefined) {
        const finished = new AbortController();
        const timedOut = await Promise.race([
          running.then(() => false),
          sleep(stopTimeoutMs, finished.signal).then(() => !finished.signal.aborted),
        ]);
        finished.abort();
        if (timedOut) log.warn({ stopTimeoutMs }, 'batch still in flight at stop; disconnecting from Kafka');
      }
      await publisher.close();
      await running;
      log.info('stopped');
    },
    get isLeader() {
      return leader;
    },
  };
}
