import { extractTraceContext, pollLoop, type ServiceWorker, withSpan, withTransaction } from '@msa/platform';
import type pg from 'pg';
import type { Logger } from 'pino';
import { claimDueSaga, postponeTimer } from '../postgres/sagas.js';
import type { SagaShell } from '../saga/saga-shell.js';

/** Options for `createDeadlineWorker`. */
export interface DeadlineWorkerOptions {
  readonly pool: pg.Pool;
  readonly shell: SagaShell;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Time between looks for due timers, in ms. */
  readonly pollIntervalMs: number;
  /** How long a timer whose firing failed waits before it is tried again, in ms. */
  readonly retryDelayMs: number;
}

/**
 * Fires the sagas' due deadlines: claims one due saga at a time (`for update skip locked`, so each
 * fires on one replica, and a replica that dies mid-firing leaves the row to the next), hands the
 * process manager `DeadlinePassed` and commits its step and order events in that transaction. The
 * timers are rows, so a restart loses none: a deadline that fell due while no replica ran fires at
 * the first poll. `stop` lets the firing in flight finish.
 */
export function createDeadlineWorker({ pool, shell, logger, clock, pollIntervalMs, retryDelayMs }: DeadlineWorkerOptions): ServiceWorker {
  const log = logger.child({ component: 'order-deadlines' });
  let stopped: Promise<void> | undefined;

  /** Fires one due timer; false when none was due. */
  async function fireOne(): Promise<boolean> {
    let claimed: string | undefined;
    try {
      return await withSpan('order-saga deadline', extractTraceContext({}), () =>
        withTransaction(pool, async (tx) => {
          claimed = await claimDueSaga(tx.client, clock());
          if (claimed === undefined) return false;
          const reaction = await shell.react(tx, claimed, { eventType: 'DeadlinePassed' }, { causationId: `deadline:${claimed}` });
          if (reaction?.type === 'step') log.info({ orderId: claimed, step: reaction.step }, 'order saga deadline passed');
          return true;
        }),
      );
    } catch (error) {
      if (claimed === undefined) throw error;
      log.error({ err: error, orderId: claimed, retryInMs: retryDelayMs }, 'firing an order saga deadline failed; it is tried again later');
      await postponeTimer(pool, claimed, new Date(clock().getTime() + retryDelayMs));
      return true;
    }
  }

  const polling = pollLoop({
    round: fireOne,
    pollIntervalMs,
    roundFailed: (error) => {
      log.warn({ err: error }, 'looking for due order saga deadlines failed; trying again at the next poll');
    },
  });

  return {
    name: 'order-deadlines',
    start() {
      polling.start();
    },
    stop() {
      stopped ??= (async () => {
        await polling.halt();
        log.info('stopped');
      })();
      return stopped;
    },
  };
}
