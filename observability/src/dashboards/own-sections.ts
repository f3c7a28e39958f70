import type { ServiceName } from '@msa/contracts';
import { metrics } from '../catalog.js';
import { orZero, quantile, rate, selector, sumBy } from '../promql.js';
import type { Section } from './panels.js';

const { cache, order, payment, notification } = metrics;

const readCache = (service: string): Section => ({
  title: 'Read cache',
  panels: [
    {
      title: 'Cache reads per second',
      description: 'By family and source: hit, miss, or bypass when Redis was not asked or did not answer.',
      unit: 'ops',
      queries: [{ expr: sumBy(['family', 'source'], rate(cache.reads, { service })), legend: '{{family}} {{source}}' }],
    },
    {
      title: 'Loader p99 on a miss',
      description: 'The 99th percentile of the loader’s time on a miss or a bypass, by family.',
      unit: 's',
      queries: [{ expr: quantile(0.99, cache.loadDuration, ['family'], { service }), legend: '{{family}}' }],
    },
    {
      title: 'Invalidations and Redis errors per second',
      description: 'Invalidations by family and scope (key, all); Redis calls that failed or timed out, by operation.',
      unit: 'ops',
      queries: [
        { expr: sumBy(['family', 'scope'], rate(cache.invalidations, { service })), legend: 'invalidated {{family}} {{scope}}' },
        { expr: orZero(sumBy(['family', 'operation'], rate(cache.errors, { service }))), legend: 'error {{family}} {{operation}}' },
      ],
    },
  ],
});

const saga = (service: string): Section => ({
  title: 'Order saga',
  panels: [
    {
      title: 'Saga steps per second',
      description: 'Steps committed, by step; ORDER_PLACED counts the orders placed.',
      unit: 'ops',
      queries: [{ expr: sumBy(['step'], rate(order.sagaSteps, { service })), legend: '{{step}}' }],
    },
    {
      title: 'Saga outcomes per second',
      description: 'Sagas ended, by outcome and cancellation reason.',
      unit: 'ops',
      queries: [{ expr: sumBy(['outcome', 'reason'], rate(order.sagaOutcomes, { service })), legend: '{{outcome}} {{reason}}' }],
    },
    {
      title: 'Sagas past their deadline',
      description: 'Sagas still waiting after their deadline, and how long ago the oldest one fell due; the deadline worker should keep both near 0.',
      unit: 'short',
      queries: [
        { expr: `max(${selector(order.sagasOverdue, { service })})`, legend: 'overdue sagas' },
        { expr: `max(${selector(order.oldestOverdueSeconds, { service })})`, legend: 'oldest overdue (s)' },
      ],
    },
  ],
});

const gateway = (service: string): Section => ({
  title: 'Payment gateway',
  panels: [
    {
      title: 'Gateway calls per second',
      description: 'By kind (charge, refund) and outcome; a rising parked is payments whose outcome stayed unknown after every attempt.',
      unit: 'ops',
      queries: [{ expr: sumBy(['kind', 'outcome'], rate(payment.gatewayCalls, { service })), legend: '{{kind}} {{outcome}}' }],
    },
    {
      title: 'Gateway call p99',
      description: 'The 99th percentile of one gateway call’s time, by kind.',
      unit: 's',
      queries: [{ expr: quantile(0.99, payment.gatewayCallDuration, ['kind'], { service }), legend: '{{kind}}' }],
    },
  ],
});

const deliveries = (service: string): Section => ({
  title: 'Deliveries',
  panels: [
    {
      title: 'Deliveries per second',
      description: 'Attempts by channel and recorded outcome (sent, retried, failed); a rising failed is messages parked for good.',
      unit: 'ops',
      queries: [{ expr: sumBy(['channel', 'outcome'], rate(notification.deliveries, { service })), legend: '{{channel}} {{outcome}}' }],
    },
    {
      title: 'Delivery attempt p99',
      description: 'The 99th percentile of one delivery attempt’s time, by channel.',
      unit: 's',
      queries: [{ expr: quantile(0.99, notification.deliveryAttemptDuration, ['channel'], { service }), legend: '{{channel}}' }],
    },
  ],
});

/** The sections of each service's own metrics, beside the platform's. */
export const ownSections: Readonly<Record<ServiceName, readonly ((service: string) => Section)[]>> = {
  user: [],
  product: [readCache],
  order: [saga],
  payment: [gateway],
  inventory: [],
  notification: [deliveries],
};
