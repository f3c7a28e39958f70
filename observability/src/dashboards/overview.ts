import { metrics } from '../catalog.js';
import { orZero, quantile, rate, sumBy } from '../promql.js';
import type { DashboardSpec } from './panels.js';
import { apiRoutes } from './sections.js';

const { platform, order } = metrics;

/** The whole platform at a glance: orders, saga outcomes, latency per service, lag and dead letters. */
export function overviewDashboard(): DashboardSpec {
  return {
    uid: 'msa-overview',
    title: 'MSA / Platform overview',
    description: 'Orders per second, saga outcomes, p99 latency per service, consumer and outbox lag, dead letters.',
    tags: ['msa', 'overview'],
    sections: [
      {
        title: 'Orders',
        panels: [
          {
            title: 'Orders per second',
            description: 'Orders placed (the saga’s ORDER_PLACED steps).',
            unit: 'ops',
            kind: 'stat',
            queries: [{ expr: sumBy([], rate(order.sagaSteps, { step: 'ORDER_PLACED' })), legend: 'placed' }],
          },
          {
            title: 'Sagas past their deadline',
            description: 'Orders still waiting after their saga’s deadline: the deadline worker should move them on within a poll.',
            unit: 'short',
            kind: 'stat',
            queries: [{ expr: `max(${order.sagasOverdue})`, legend: 'overdue' }],
          },
          {
            title: 'Dead letters in the last hour',
            description: 'Messages every consumer sent to a dead-letter topic in the last hour.',
            unit: 'short',
            kind: 'stat',
            queries: [{ expr: orZero(sumBy([], `increase(${platform.dltMessages}[1h])`)), legend: 'dead letters' }],
          },
          {
            title: 'Oldest unpublished event',
            description: 'The age of the oldest event any service committed and Kafka has not acknowledged.',
            unit: 's',
            kind: 'stat',
            queries: [{ expr: `max(${platform.outboxLagSeconds})`, legend: 'outbox lag' }],
          },
          {
            title: 'Orders and saga outcomes per second',
            description: 'Orders placed, and sagas ended by outcome (completed, cancelled) and cancellation reason.',
            unit: 'ops',
            queries: [
              { expr: sumBy([], rate(order.sagaSteps, { step: 'ORDER_PLACED' })), legend: 'placed' },
              { expr: sumBy(['outcome', 'reason'], rate(order.sagaOutcomes)), legend: '{{outcome}} {{reason}}' },
            ],
          },
          {
            title: 'p99 latency per service',
            description: 'The 99th percentile of API request durations (health checks and scrapes left out), per service.',
            unit: 's',
            queries: [{ expr: quantile(0.99, platform.httpRequestDuration, ['service'], apiRoutes), legend: '{{service}}' }],
          },
        ],
      },
      {
        title: 'Kafka',
        panels: [
          {
            title: 'Consumer lag per group',
            description: 'Messages between each group’s committed offsets and the high watermarks, summed over its partitions.',
            unit: 'short',
            queries: [{ expr: sumBy(['group'], platform.consumerLag), legend: '{{group}}' }],
          },
          {
            title: 'Outbox lag per service',
            description: 'Age of each service’s oldest event not yet acknowledged by Kafka.',
            unit: 's',
            queries: [{ expr: `max by (service) (${platform.outboxLagSeconds})`, legend: '{{service}}' }],
          },
          {
            title: 'Dead letters per second',
            description: 'Messages sent to <topic>.DLT, by service and source topic.',
            unit: 'ops',
            queries: [{ expr: orZero(sumBy(['service', 'topic'], rate(platform.dltMessages))), legend: '{{service}} {{topic}}' }],
          },
          {
            title: 'Messages handled per second',
            description: 'Messages every consumer group handled, by group.',
            unit: 'ops',
            queries: [{ expr: sumBy(['group'], rate(platform.consumerHandled, { outcome: 'processed' })), legend: '{{group}}' }],
          },
        ],
      },
    ],
  };
}

