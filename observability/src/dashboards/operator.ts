import { metrics } from '../catalog.js';
import { orZero, quantile, rate, selector, sumBy } from '../promql.js';
import type { DashboardSpec } from './panels.js';
import { processSection } from './sections.js';

const { operator } = metrics;
const service = 'operator';

/** The KafkaTopic operator: its reconciliations, their failures and time, its queue and its lease. */
export function operatorDashboard(): DashboardSpec {
  return {
    uid: 'msa-operator',
    title: 'MSA / KafkaTopic operator',
    description: 'Reconciliations by result, failures by reason, reconcile time, the work queue and which replica holds the lease.',
    tags: ['msa', 'operator'],
    sections: [
      {
        title: 'Reconciliation',
        panels: [
          {
            title: 'Reconciliations per second',
            description: 'KafkaTopic reconciliations finished, by result.',
            unit: 'ops',
            queries: [{ expr: sumBy(['result'], rate(operator.reconciliations, { service })), legend: '{{result}}' }],
          },
          {
            title: 'Failures per second',
            description: 'Failed reconciliations, by the reason of their Ready=False condition.',
            unit: 'ops',
            queries: [{ expr: orZero(sumBy(['reason'], rate(operator.failures, { service }))), legend: '{{reason}}' }],
          },
          {
            title: 'Reconcile time p99',
            description: 'The 99th percentile of the time to reconcile one KafkaTopic.',
            unit: 's',
            queries: [{ expr: quantile(0.99, operator.duration, [], { service }), legend: 'p99' }],
          },
          {
            title: 'Queue depth',
            description: 'KafkaTopic keys waiting to be reconciled, per replica.',
            unit: 'short',
            queries: [{ expr: selector(operator.queueDepth, { service }), legend: '{{instance}}' }],
          },
          {
            title: 'Lease holder',
            description: '1 on the replica that holds the leader lease; exactly one should.',
            unit: 'short',
            queries: [
              { expr: selector(operator.leader, { service }), legend: '{{instance}}' },
              { expr: sumBy([], selector(operator.leader, { service })), legend: 'leaders' },
            ],
          },
        ],
      },
      processSection(service),
    ],
  };
}
