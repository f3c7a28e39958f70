import type { Logger } from 'pino';
import type { LeaseRecord, LeaseStore } from '../kube/lease-store.js';

/** What one round of the election does with the lease it read. */
export type LeaseStep =
  | { readonly kind: 'create' }
  | { readonly kind: 'renew' }
  | { readonly kind: 'takeOver' }
  | { readonly kind: 'wait'; readonly holder: string };

/**
 * Decides one round. A lease is free when it does not exist, when its holder released it, or when
 * its record has not changed for a whole lease duration as measured by this replica's own clock:
 * comparing `renewTime` with the local clock would let skew between nodes elect two leaders.
 */
export function leaseStep(lease: LeaseRecord | undefined, me: string, unchangedForMs: number): LeaseStep {
  if (lease === undefined) return { kind: 'create' };
  if (lease.holder === me) return { kind: 'renew' };
  if (lease.holder === '' || unchangedForMs >= lease.durationMs) return { kind: 'takeOver' };
  return { kind: 'wait', holder: lease.holder };
}

/** Settings of a {@link LeaderElector}. */
export interface LeaderElectorOptions {
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
}

/**
 * Lease-based leader election in the manner of client-go: every third of the lease duration each
 * replica tries to create, renew or take over the lease; a leader that has not renewed for two
 * thirds of the duration steps down before anyone may take over, so two replicas never reconcile at
 * once. Stopping releases the lease so a standby takes over at its next round.
 */
export class LeaderElector {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private lastRenewAt = 0;
  private observed: { readonly key: string; readonly since: number } | undefined;
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: LeaseStore,
    private readonly options: LeaderElectorOptions,
    private readonly logger: Logger,
  ) {}

  /** Whether this replica holds the lease. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts campaigning; the first round runs at once. */
  start(): void {
    const period = Math.max(Math.floor(this.options.leaseDurationMs / 3), 200);
    const tick = () => {
      this.round = this.tryOnce().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, period);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops campaigning and, when leading, releases the lease and steps down. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
    if (!this.leading) return;
    try {
      const current = await this.store.get();
      if (current?.record.holder === this.options.identity) {
        const now = new Date();
        await this.store.replace({ ...current.record, holder: '', renewTime: now }, current.resourceVersion);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not release the lease; a standby takes over when it expires');
    }
    this.stepDown();
  }

  private async tryOnce(): Promise<void> {
    const now = Date.now();
    try {
      const current = await this.store.get();
      const key = current === undefined ? '' : `${current.record.holder}|${current.record.renewTime.toISOString()}|${current.resourceVersion}`;
      if (this.observed?.key !== key) this.observed = { key, since: now };
      const step = leaseStep(current?.record, this.options.identity, now - this.observed.since);
      const record = (previous: LeaseRecord | undefined, takingOver: boolean): LeaseRecord => ({
        holder: this.options.identity,
        durationMs: this.options.leaseDurationMs,
        acquireTime: takingOver || previous === undefined ? new Date(now) : previous.acquireTime,
        renewTime: new Date(now),
        transitions: (previous?.transitions ?? 0) + (takingOver ? 1 : 0),
      });
      switch (step.kind) {
        case 'create':
          await this.store.create(record(undefined, false));
          break;
        case 'renew':
          if (current) await this.store.replace(record(current.record, false), current.resourceVersion);
          break;
        case 'takeOver':
          if (current) await this.store.replace(record(current.record, true), current.resourceVersion);
          break;
        case 'wait':
          // Someone else holds a live lease, so whatever this replica believed, it leads no more.
          this.stepDown();
          return;
        default: {
          const unexpected: never = step;
          throw new Error(`unknown lease step ${JSON.stringify(unexpected)}`);
        }
      }
      this.lastRenewAt = now;
      if (!this.leading) {
        this.leading = true;
        this.logger.info({ identity: this.options.identity }, 'became leader');
        this.options.onStartedLeading();
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'lease round failed');
      this.checkDeadline(now);
    }
  }

  // A leader that cannot renew steps down at two thirds of the lease, before others may take over.
  private checkDeadline(now: number): void {
    if (this.leading && now - this.lastRenewAt > (this.options.leaseDurationMs * 2) / 3) {
      this.logger.warn({ identity: this.options.identity }, 'lost the lease');
      this.stepDown();
    }
  }

  private stepDown(): void {
    if (!this.leading) return;
    this.leading = false;
    this.options.onStoppedLeading();
  }
}
