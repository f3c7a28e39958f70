import { stringify } from 'yaml';
import { metrics } from '../catalog.js';

const { platform, order } = metrics;

/** The thresholds the alerts fire at, and how long each condition must hold first. */
const alertThresholds = {
  /** Messages a group's partition may lag behind before it is worth a look. */
  consumerLagMessages: 1_000,
  consumerLagFor: '10m',
  /** Any dead letter in this window fires; DLT writes failing fire as critical. */
  deadLetterWindow: '10m',
  deadLetterFor: '1m',
  /** Age of the oldest event Kafka has not acknowledged. */
  outboxLagSeconds: 60,
  outboxLagFor: '5m',
  /** Events Kafka refuses for good hold their streams back until someone looks. */
  outboxUnpublishableFor: '5m',
  /** How long past its deadline a saga may wait for the deadline worker. */
  sagaOverdueSeconds: 120,
  sagaOverdueFor: '5m',
} as const;

/** A Prometheus alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: 'warning' | 'critical' };
  readonly annotations: { readonly summary: string; readonly description: string };
}

const t = alertThresholds;

/** The platform's alerting rules, one group. */
export function alertRules(): readonly AlertRule[] {
  return [
    {
      alert: 'ConsumerLagHigh',
      expr: `max by (service, group, topic) (${platform.consumerLag}) > ${t.consumerLagMessages}`,
      for: t.consumerLagFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Consumer group {{ $labels.group }} lags on {{ $labels.topic }}',
        description: `A partition of {{ $labels.topic }} has been more than ${t.consumerLagMessages} messages behind for group {{ $labels.group }} of {{ $labels.service }} for ${t.consumerLagFor} (now {{ $value }}): the consumer is slow, stuck on a key, or down.`,
      },
    },
    {
      alert: 'DeadLettersGrowing',
      expr: `sum by (service, topic) (increase(${platform.dltMessages}[${t.deadLetterWindow}])) > 0`,
      for: t.deadLetterFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Messages of {{ $labels.topic }} go to its dead-letter topic',
        description: `{{ $labels.service }} sent {{ $value }} messages of {{ $labels.topic }} to {{ $labels.topic }}.DLT in the last ${t.deadLetterWindow}: read them with \`msa dlt list\` and replay once fixed.`,
      },
    },
    {
      alert: 'DeadLetterWritesFailing',
      expr: `sum by (service, topic) (increase(${platform.dltWriteFailures}[${t.deadLetterWindow}])) > 0`,
      for: t.deadLetterFor,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Dead letters of {{ $labels.topic }} cannot be written',
        description: `Kafka did not take {{ $value }} dead-letter writes of {{ $labels.service }} for {{ $labels.topic }} in the last ${t.deadLetterWindow}: the consumer holds those messages and stops behind them.`,
      },
    },
    {
      alert: 'OutboxLagHigh',
      expr: `max by (service) (${platform.outboxLagSeconds}) > ${t.outboxLagSeconds}`,
      for: t.outboxLagFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The outbox of {{ $labels.service }} is behind',
        description: `The oldest event {{ $labels.service }} committed has waited more than ${t.outboxLagSeconds}s for Kafka's acknowledgement for ${t.outboxLagFor} (now {{ $value }}s): Kafka is unreachable or the relay is stuck.`,
      },
    },
    {
      alert: 'OutboxEventsUnpublishable',
      expr: `max by (service) (${platform.outboxUnpublishableEvents}) > 0`,
      for: t.outboxUnpublishableFor,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'The outbox of {{ $labels.service }} holds events Kafka refuses',
        description: `{{ $value }} events of {{ $labels.service }} are held back: Kafka refuses some for good and the later events of their streams wait behind them (see \`msa dlt outbox list\`).`,
      },
    },
    {
      alert: 'OrderSagasStuck',
      expr: `max by (service) (${order.oldestOverdueSeconds}) > ${t.sagaOverdueSeconds}`,
      for: t.sagaOverdueFor,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Order sagas are stuck past their deadline',
        description: `An order's saga has waited more than ${t.sagaOverdueSeconds}s past its deadline for ${t.sagaOverdueFor} (the oldest by {{ $value }}s): the order service's deadline worker is not firing timers, so those orders never complete or cancel.`,
      },
    },
  ];
}

/** The platform's alerting rules as a Prometheus rule file. */
export function alertRulesYaml(): string {
  return stringify({ groups: [{ name: 'msa-platform', rules: alertRules() }] }, { lineWidth: 0 });
}
