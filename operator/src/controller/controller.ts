import type { Logger } from 'pino';
import { applyDecision, type ApplyDeps } from '../apply/apply-decision.js';
import { managedTopicName, resourceKey, type KafkaTopic } from '../reconcile/kafka-topic.js';
import type { TopicChangeHandler } from '../kube/topic-informer.js';
import type { OperatorMetrics } from '../metrics.js';
import { WorkQueue } from './work-queue.js';

/** The cache the controller reads KafkaTopics from; the informer in production. */
export interface TopicCache {
  onChange(handler: TopicChangeHandler): void;
  get(key: string): KafkaTopic | undefined;
  list(): KafkaTopic[];
}

/** Settings of a {@link Controller}. */
export interface ControllerOptions {
  readonly workers: number;
  readonly resyncPeriodMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

/**
 * Runs reconciliations while this replica leads: informer changes and a periodic resync feed a
 * {@link WorkQueue} of keys, and a few workers drain it, one reconciliation per key at a time.
 * Each leadership term gets a fresh queue, so a replica that lost the lease drops its backlog.
 */
export class Controller {
  private queue: WorkQueue | undefined;
  private workers: Promise<void>[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly depthTimer: NodeJS.Timeout;

  constructor(
    private readonly informer: TopicCache,
    private readonly deps: ApplyDeps,
    private readonly metrics: OperatorMetrics,
    private readonly options: ControllerOptions,
    private readonly logger: Logger,
  ) {
    informer.onChange((key, previous, current) => {
      this.onChange(key, previous, current);
    });
    this.depthTimer = setInterval(() => {
      this.metrics.queueDepth.set(this.queue?.depth ?? 0);
    }, 1000);
    this.depthTimer.unref();
  }

  /** Starts reconciling: every known KafkaTopic is queued, then changes and resyncs. */
  startLeading(): void {
    if (this.queue) return;
    const queue = new WorkQueue({ retryBaseMs: this.options.retryBaseMs, retryMaxMs: this.options.retryMaxMs });
    this.queue = queue;
    this.metrics.leader.set(1);
    this.resyncAll();
    this.resyncTimer = setInterval(() => {
      this.resyncAll();
    }, this.options.resyncPeriodMs);
    this.workers = Array.from({ length: this.options.workers }, () => this.work(queue));
  }

  /** Stops reconciling and waits for reconciliations in flight to finish. */
  async stopLeading(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    this.queue = undefined;
    this.metrics.leader.set(0);
    clearInterval(this.resyncTimer);
    queue.shutdown();
    await Promise.all(this.workers);
    this.workers = [];
  }

  /** Stops everything, for shutdown. */
  async close(): Promise<void> {
    clearInterval(this.depthTimer);
    await this.stopLeading();
  }

  private resyncAll(): void {
    for (const kt of this.informer.list()) this.queue?.add(resourceKey(kt));
  }

  // Status-only updates (mostly our own writes) and finalizer edits are skipped: they change nothing
  // the reconciliation depends on, and the resync catches anything else. Other claimants of the same
  // topic are queued too, so a conflict is judged again when one of its parties changes or goes.
  private onChange(key: string, previous: KafkaTopic | undefined, current: KafkaTopic | undefined): void {
    const queue = this.queue;
    const changed = current ?? previous;
    if (!queue || changed === undefined) return;
    if (previous !== undefined && current !== undefined && fingerprint(previous) === fingerprint(current)) return;
    if (current !== undefined) queue.add(key);
    const topic = managedTopicName(changed);
    for (const other of this.informer.list()) {
      if (resourceKey(other) !== key && managedTopicName(other) === topic) queue.add(resourceKey(other));
    }
  }

  private async work(queue: WorkQueue): Promise<void> {
    for (let key = await queue.next(); key !== undefined; key = await queue.next()) {
      try {
        await this.reconcileKey(queue, key);
      } catch (error) {
        // applyDecision turns every failure into a status; anything reaching here is a fault of
        // the operator itself, logged and retried rather than left to kill the worker.
        this.logger.error({ err: error, resource: key }, 'reconciliation crashed');
        queue.retry(key);
      } finally {
        queue.done(key);
      }
    }
  }

  private async reconcileKey(queue: WorkQueue, key: string): Promise<void> {
    const kt = this.informer.get(key);
    if (kt === undefined) return;
    const stopTimer = this.metrics.duration.startTimer();
    const result = await applyDecision(kt, this.informer.list(), this.deps);
    stopTimer();
    this.metrics.reconciliations.inc({ result: result.failure ? 'failure' : 'success' });
    if (result.failure) this.metrics.failures.inc({ reason: result.failure.reason });
    if (result.retry) {
      const delayMs = queue.retry(key);
      this.logger.debug({ resource: key, delayMs }, 'reconciliation will be retried');
    } else {
      queue.forget(key);
    }
  }
}

// Spec edits bump the generation, so it stands for the spec here.
function fingerprint(kt: KafkaTopic): string {
  const { generation, labels, annotations, deletionTimestamp } = kt.metadata;
  return JSON.stringify([generation, labels, annotations, deletionTimestamp]);
}
