import { finishesWithin, pollLoop, type ServiceWorker, unavailableDependency } from '@msa/platform';
import type { Logger } from 'pino';
import { type DeliveryPolicy, type DeliveryStep, nextStep } from '../../domain/delivery-policy.js';
import type { SendOutcome } from '../../ports.js';
import type { ClaimedDelivery, DeliveryLedger } from '../postgres/ledger.js';
import type { Channels } from '../channels/channels.js';
import { SUBSCRIPTION_GONE } from '../channels/web-push-channel.js';
import { awakeTimeout } from './awake-timeout.js';
import { sendThrough } from './channels.js';
import type { DeliveryMetrics } from './metrics.js';
import { retryWithin } from './retry-within.js';

/** Options for `createSender`. */
export interface SenderOptions {
  readonly ledger: DeliveryLedger;
  readonly channels: Channels;
  readonly policy: DeliveryPolicy;
  readonly logger: Logger;
  /** Time between looks at the ledger when nothing woke the sender, in ms. */
  readonly pollIntervalMs: number;
  /** Deliveries claimed, and sent concurrently, per round. */
  readonly batchSize: number;
  /** Longest time one attempt may take while the process runs, in ms; the channel's signal aborts it then. */
  readonly attemptTimeoutMs: number;
  /** How long a claim lasts, in ms: past it, a delivery still `sending` is claimed again. Longer than an attempt. */
  readonly leaseMs: number;
  /**
   * Runs in the background after each round's outcomes are recorded (the history sync), one at a
   * time; its failure does not stop sending.
   */
  readonly afterRound?: () => Promise<void>;
  /** Called for a push subscription the push service says is gone (404, 410). */
  readonly subscriptionGone?: (endpoint: string) => Promise<void>;
  /** Counts outcomes and times attempts, for `/metrics`. */
  readonly metrics?: DeliveryMetrics;
  /** @default Math.random */
  readonly random?: () => number;
}

/** The sender loop: a worker the kit starts and stops, which the dispatcher wakes after each commit. */
export interface Sender extends ServiceWorker {
  /** Looks at the ledger now rather than at the next poll. */
  wake(): void;
}

/**
 * Sends due deliveries from the ledger through the channels and records each outcome. Kafka never
 * waits on a provider: the consumer only records deliveries, and this loop sends them. `stop` lets
 * the round in flight finish (each attempt is bounded by `attemptTimeoutMs`), then aborts whatever
 * is still sending after a further `attemptTimeoutMs`; such a delivery stays `sending` and is claimed
 * again when its lease ends.
 */
export function createSender(options: SenderOptions): Sender {
  const { ledger, channels, policy, pollIntervalMs, batchSize, attemptTimeoutMs, leaseMs, afterRound, subscriptionGone, metrics } = options;
  const random = options.random ?? Math.random;
  const log = options.logger.child({ component: 'notification-sender' });
  const abandon = new AbortController();
  let following: Promise<void> | undefined;
  let started = false;
  let stopped: Promise<void> | undefined;

  /**
   * Records the attempt's outcome, trying again while PostgreSQL is out of reach (a restart takes
   * seconds) until the claim's lease ends or the round is abandoned. Forgetting a `sent` would mail
   * the message again once the lease ends; after it, another sender may have taken the row anyway.
   */
  function record(delivery: ClaimedDelivery, step: DeliveryStep, leaseEnds: number): Promise<boolean> {
    return retryWithin(() => ledger.record(delivery, step), {
      until: leaseEnds,
      signal: abandon.signal,
      // Only PostgreSQL being away; a statement it refuses would be refused for the whole lease.
      retriable: (error) => unavailableDependency(error)?.dependency === 'postgres',
      random,
      failed: (error, failures, delayMs) => {
        log.warn({ err: error, idempotencyKey: delivery.idempotencyKey, failures, delayMs }, 'recording a delivery outcome failed; trying again');
      },
    });
  }

  async function attempt(delivery: ClaimedDelivery, leaseEnds: number): Promise<void> {
    // Not the wall clock: after a freeze (SIGSTOP) it would abort a send whose 250 has arrived unread.
    const timeout = awakeTimeout(attemptTimeoutMs);
    const signal = AbortSignal.any([timeout.signal, abandon.signal]);
    const began = performance.now();
    let outcome: SendOutcome;
    try {
      outcome = await sendThrough(channels, delivery, signal);
    } catch (error) {
      outcome = { status: 'retry', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      timeout.clear();
    }
    metrics?.attempted(delivery.channel, (performance.now() - began) / 1_000);
    // Abandoned at shutdown: whether the provider took it is unknown, so the lease decides, not a guess;
    // unless it answered that it took it, which forgotten would send the message again.
    if (abandon.signal.aborted && outcome.status !== 'sent') return;
    const step = nextStep(outcome, delivery.attempt, policy, random);
    const where = { idempotencyKey: delivery.idempotencyKey, channel: delivery.channel, attempt: delivery.attempt };
    if (!(await record(delivery, step, leaseEnds))) {
      log.warn(where, 'delivery outcome not recorded: its claim expired and another sender took it');
      return;
    }
    metrics?.recorded(delivery.channel, step.state);
    if (step.state === 'failed') log.warn({ ...where, reason: step.lastError }, 'delivery failed for good');
    else if (step.state === 'pending') log.info({ ...where, reason: step.lastError, delayMs: step.delayMs }, 'delivery will be retried');
    else log.debug({ ...where, providerId: step.providerId }, 'delivery sent');
    // Only the push service saying the subscription is gone ends it; a message it refused (too large, a
    // template that cannot render) says nothing about the browser.
    if (delivery.channel === 'push' && outcome.status === 'rejected' && outcome.reason === SUBSCRIPTION_GONE) {
      await subscriptionGone?.(delivery.recipient);
    }
  }

  /**
   * Starts `afterRound` unless one is still running, without waiting for it: copying into MongoDB
   * takes about as long as sending, and must not slow the sends. Every round, idle ones included,
   * starts one, so a change a running one missed is taken by the next.
   */
  function followUp(): void {
    if (afterRound === undefined || following !== undefined) return;
    following = afterRound()
      .catch((error: unknown) => {
        log.warn({ err: error }, 'the follow-up of a round failed; the next round runs it again');
      })
      .finally(() => {
        following = undefined;
      });
  }

  async function round(): Promise<boolean> {
    // Taken before the claim, so the lease PostgreSQL counts from its own later `now()` ends no sooner.
    const leaseEnds = performance.now() + leaseMs;
    const claimed = await ledger.claimDue(batchSize, leaseMs);
    // Each attempt records its own outcome; one that cannot record within the lease leaves its row to it.
    const results = await Promise.allSettled(claimed.map((delivery) => attempt(delivery, leaseEnds)));
    for (const result of results) if (result.status === 'rejected') log.error({ err: result.reason }, 'recording a delivery outcome failed');
    followUp();
    return claimed.length === batchSize;
  }

  const polling = pollLoop({
    round,
    pollIntervalMs,
    roundFailed: (error) => {
      log.warn({ err: error }, 'claiming due deliveries failed; trying again at the next poll');
    },
  });

  return {
    name: 'notification-sender',
    start() {
      started = true;
      polling.start();
    },
    wake() {
      polling.wake();
    },
    stop() {
      stopped ??= (async () => {
        const ended = polling.halt();
        if (!started) return;
        if (!(await finishesWithin(ended, attemptTimeoutMs * 2))) {
          abandon.abort();
          // A channel that ignores its signal must not hold the shutdown either.
          await finishesWithin(ended, attemptTimeoutMs);
        }
        if (following !== undefined) await finishesWithin(following, attemptTimeoutMs);
        channels.close();
        log.info('stopped');
      })();
      return stopped;
    },
  };
}
