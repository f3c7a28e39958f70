import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { SagaPhase, SagaState, SagaStep } from '../../domain/saga.js';

/** The names of the order saga's metrics, for dashboards and alert rules. */
export const orderMetricNames = {
  sagaSteps: 'order_saga_steps_total',
  sagaOutcomes: 'order_saga_outcomes_total',
  sagasOverdue: 'order_sagas_overdue',
  oldestOverdueSeconds: 'order_saga_oldest_overdue_seconds',
} as const;

/** Sagas whose deadline has passed without the deadline worker firing it. */
export interface OverdueSagas {
  readonly count: number;
  /** Seconds since the oldest of them fell due; 0 when none has. */
  readonly oldestSeconds: number;
}

/** What the saga counts, once a step has committed. */
export interface SagaMetrics {
  /** A step committed, moving the saga from `from` (none for the first) to `to`. */
  stepped(step: SagaStep, from: SagaPhase | undefined, to: SagaState): void;
}

/** Options for `sagaMetrics`. */
export interface SagaMetricsOptions {
  /** Reads the overdue sagas at each scrape. */
  readonly overdue: () => Promise<OverdueSagas>;
  readonly logger: Logger;
}

const terminal: ReadonlySet<SagaPhase> = new Set<SagaPhase>(['COMPLETED', 'CANCELLED']);

/**
 * `order_saga_steps_total{step}` (placed orders are `step="ORDER_PLACED"`), `order_saga_outcomes_total{outcome,
 * reason}` (outcome `completed` or `cancelled`, reason the cancellation's, `none` when completed), and at
 * each scrape `order_sagas_overdue` and `order_saga_oldest_overdue_seconds`: sagas still waiting past their
 * deadline, which the deadline worker should have moved on. They come from the saga table, so every
 * replica reports the same figures; a failed read keeps the last ones and logs why.
 */
export function sagaMetrics(registry: Registry, { overdue, logger }: SagaMetricsOptions): SagaMetrics {
  const log = logger.child({ component: 'order-saga-metrics' });
  const steps = new Counter({
    name: orderMetricNames.sagaSteps,
    help: 'Order saga steps committed, by step (ORDER_PLACED counts placed orders)',
    labelNames: ['step'],
    registers: [registry],
  });
  const outcomes = new Counter({
    name: orderMetricNames.sagaOutcomes,
    help: 'Order sagas ended, by outcome (completed, cancelled) and cancellation reason',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
  });
  // Both gauges are collected side by side at a scrape: they share one read of the table.
  let last: OverdueSagas = { count: 0, oldestSeconds: 0 };
  let reading: Promise<OverdueSagas> | undefined;
  const read = (): Promise<OverdueSagas> =>
    (reading ??= overdue()
      .then((figures) => (last = figures))
      .catch((error: unknown) => {
        log.warn({ err: error }, 'reading overdue order sagas failed; the last figures stand');
        return last;
      })
      .finally(() => {
        reading = undefined;
      }));
  new Gauge({
    name: orderMetricNames.sagasOverdue,
    help: 'Order sagas still waiting past their deadline',
    registers: [registry],
    async collect() {
      this.set((await read()).count);
    },
  });
  new Gauge({
    name: orderMetricNames.oldestOverdueSeconds,
    help: 'Seconds since the deadline of the oldest overdue order saga passed (0 when none is overdue)',
    registers: [registry],
    async collect() {
      this.set((await read()).oldestSeconds);
    },
  });
  return {
    stepped(step, from, to) {
      steps.inc({ step });
      if (from === to.phase || !terminal.has(to.phase)) return;
      const outcome = to.phase === 'COMPLETED' ? 'completed' : 'cancelled';
      outcomes.inc({ outcome, reason: to.cancellation?.reason ?? 'none' });
    },
  };
}
