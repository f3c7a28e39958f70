import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The operator's Prometheus metrics, in a registry of their own. */
export interface OperatorMetrics {
  readonly registry: Registry;
  /** Reconciliations finished, by result (`success` or `failure`). */
  readonly reconciliations: Counter<'result'>;
  /** Failed reconciliations, by the condition reason they reported. */
  readonly failures: Counter<'reason'>;
  readonly duration: Histogram;
  readonly queueDepth: Gauge;
  readonly leader: Gauge;
}

/** The names of the operator's metrics, keyed as `OperatorMetrics` is: what dashboards and alert rules import. */
export const operatorMetricNames = {
  reconciliations: 'topic_operator_reconciliations_total',
  failures: 'topic_operator_reconciliation_failures_total',
  duration: 'topic_operator_reconciliation_duration_seconds',
  queueDepth: 'topic_operator_queue_depth',
  leader: 'topic_operator_leader',
} as const satisfies Record<Exclude<keyof OperatorMetrics, 'registry'>, string>;

/** Creates the metrics, with Node's process metrics (memory, CPU, event loop) beside them. */
export function createMetrics(): OperatorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    reconciliations: new Counter({
      name: operatorMetricNames.reconciliations,
      help: 'KafkaTopic reconciliations finished, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    failures: new Counter({
      name: operatorMetricNames.failures,
      help: 'Failed KafkaTopic reconciliations, by the reason of their Ready=False condition',
      labelNames: ['reason'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: operatorMetricNames.duration,
      help: 'Time to reconcile one KafkaTopic',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: operatorMetricNames.queueDepth,
      help: 'KafkaTopic keys waiting to be reconciled',
      registers: [registry],
    }),
    leader: new Gauge({
      name: operatorMetricNames.leader,
      help: '1 while this replica holds the leader lease',
      registers: [registry],
    }),
  };
}
