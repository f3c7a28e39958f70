import { stringify } from 'yaml';
import { alertRules, alertRulesYaml, prometheusConfigYaml } from '../src/index.js';
import { promtool, scratchDir } from './support/prometheus.js';

type Labels = Readonly<Record<string, string>>;

/** An alert's annotations as Prometheus renders them for `labels` and `value`. */
function annotationsOf(alert: string, labels: Labels, value: string): Record<string, string> {
  const rule = alertRules().find((candidate) => candidate.alert === alert);
  if (rule === undefined) throw new Error(`no alert ${alert}`);
  const render = (template: string) =>
    template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '').replaceAll('{{ $value }}', value);
  return { summary: render(rule.annotations.summary), description: render(rule.annotations.description) };
}

interface Case {
  readonly name: string;
  readonly series: Readonly<Record<string, string>>;
  readonly alert: string;
  readonly at: string;
  /** The labels and value of the alert expected to fire, or none when it must not. */
  readonly fires?: { readonly labels: Labels; readonly value: string };
}

const cases: readonly Case[] = [
  {
    name: 'a partition 2000 messages behind for 15 minutes',
    series: { 'consumer_lag{service="order",group="order.saga",topic="payment.completed",partition="0"}': '2000x20' },
    alert: 'ConsumerLagHigh',
    at: '15m',
    fires: { labels: { severity: 'warning', service: 'order', group: 'order.saga', topic: 'payment.completed' }, value: '2000' },
  },
  {
    name: 'a partition 2000 messages behind for 5 minutes only',
    series: { 'consumer_lag{service="order",group="order.saga",topic="payment.completed",partition="0"}': '0x10 2000x5' },
    alert: 'ConsumerLagHigh',
    at: '15m',
  },
  {
    name: 'a partition 500 messages behind',
    series: { 'consumer_lag{service="order",group="order.saga",topic="payment.completed",partition="0"}': '500x20' },
    alert: 'ConsumerLagHigh',
    at: '15m',
  },
  {
    name: 'dead letters written two minutes ago',
    series: { 'dlt_messages_total{service="inventory",topic="order.created",reason="unparseable"}': '0x10 4x10' },
    alert: 'DeadLettersGrowing',
    at: '13m',
    fires: { labels: { severity: 'warning', service: 'inventory', topic: 'order.created' }, value: '4' },
  },
  {
    name: 'dead letters written long ago, none since',
    series: { 'dlt_messages_total{service="inventory",topic="order.created",reason="unparseable"}': '0x2 4x30' },
    alert: 'DeadLettersGrowing',
    at: '30m',
  },
  {
    name: 'dead-letter writes failing',
    series: { 'dlt_write_failures_total{service="payment",topic="order.confirmed",kind="timeout"}': '0x10 2x10' },
    alert: 'DeadLetterWritesFailing',
    at: '13m',
    fires: { labels: { severity: 'critical', service: 'payment', topic: 'order.confirmed' }, value: '2' },
  },
  {
    name: 'no dead-letter write failing',
    series: { 'dlt_write_failures_total{service="payment",topic="order.confirmed",kind="timeout"}': '0x20' },
    alert: 'DeadLetterWritesFailing',
    at: '13m',
  },
  {
    name: 'an event unacknowledged for 90 s for 10 minutes',
    series: { 'outbox_lag_seconds{service="product",instance="a"}': '90x20' },
    alert: 'OutboxLagHigh',
    at: '10m',
    fires: { labels: { severity: 'warning', service: 'product' }, value: '90' },
  },
  {
    name: 'events acknowledged within seconds',
    series: { 'outbox_lag_seconds{service="product",instance="a"}': '2x20' },
    alert: 'OutboxLagHigh',
    at: '10m',
  },
  {
    name: 'events Kafka refuses held for 10 minutes',
    series: { 'outbox_unpublishable_events{service="user",instance="a"}': '3x20' },
    alert: 'OutboxEventsUnpublishable',
    at: '10m',
    fires: { labels: { severity: 'critical', service: 'user' }, value: '3' },
  },
  {
    name: 'no event held back',
    series: { 'outbox_unpublishable_events{service="user",instance="a"}': '0x20' },
    alert: 'OutboxEventsUnpublishable',
    at: '10m',
  },
  {
    name: 'a saga 10 minutes past its deadline and counting',
    series: { 'order_saga_oldest_overdue_seconds{service="order",instance="a"}': '0+60x20' },
    alert: 'OrderSagasStuck',
    at: '10m',
    fires: { labels: { severity: 'critical', service: 'order' }, value: '600' },
  },
  {
    name: 'sagas whose deadlines fire within a poll',
    series: { 'order_saga_oldest_overdue_seconds{service="order",instance="a"}': '0 1 0 0 2 0 0 0 1 0 0 0 0 0 0' },
    alert: 'OrderSagasStuck',
    at: '10m',
  },
];

/** A `promtool test rules` file: one test per case, each with its own input series. */
function ruleTests(): string {
  return stringify({
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: cases.map((testCase) => ({
      name: testCase.name,
      interval: '1m',
      input_series: Object.entries(testCase.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [
        {
          eval_time: testCase.at,
          alertname: testCase.alert,
          exp_alerts:
            testCase.fires === undefined
              ? []
              : [{ exp_labels: testCase.fires.labels, exp_annotations: annotationsOf(testCase.alert, testCase.fires.labels, testCase.fires.value) }],
        },
      ],
    })),
  });
}

describe('the alert rules under promtool', () => {
  it('given the rule file, when promtool checks it, then it is valid', async () => {
    const dir = await scratchDir({ 'rules.yaml': alertRulesYaml() });
    try {
      const result = await promtool(['check', 'rules', 'rules.yaml'], dir.path);

      expect(result).toEqual({ code: 0, output: expect.stringContaining('SUCCESS: 6 rules found') as unknown });
    } finally {
      await dir.remove();
    }
  });

  it('given input series for each alert, when promtool runs the rule tests, then each fires when it should and only then', async () => {
    const dir = await scratchDir({ 'rules.yaml': alertRulesYaml(), 'tests.yaml': ruleTests() });
    try {
      const result = await promtool(['test', 'rules', 'tests.yaml'], dir.path);

      expect(result.output).toContain('SUCCESS');
      expect(result.code).toBe(0);
    } finally {
      await dir.remove();
    }
  });

  it('given a rule test expecting an alert its series cannot fire, when promtool runs it, then it fails', async () => {
    const wrong = stringify({
      rule_files: ['rules.yaml'],
      tests: [
        {
          interval: '1m',
          input_series: [{ series: 'outbox_unpublishable_events{service="user"}', values: '0x20' }],
          alert_rule_test: [{ eval_time: '10m', alertname: 'OutboxEventsUnpublishable', exp_alerts: [{ exp_labels: { severity: 'critical', service: 'user' } }] }],
        },
      ],
    });
    const dir = await scratchDir({ 'rules.yaml': alertRulesYaml(), 'tests.yaml': wrong });
    try {
      expect((await promtool(['test', 'rules', 'tests.yaml'], dir.path)).code).not.toBe(0);
    } finally {
      await dir.remove();
    }
  });

  it('given the in-cluster configuration with the rule file, when promtool checks it, then it is valid', async () => {
    const dir = await scratchDir({ 'rules.yaml': alertRulesYaml(), 'prometheus.yml': prometheusConfigYaml({ namespace: 'msa', ruleFiles: ['rules.yaml'] }) });
    try {
      const result = await promtool(['check', 'config', 'prometheus.yml'], dir.path);

      expect(result.output).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
      expect(result.output).toContain('SUCCESS: 6 rules found');
      expect(result.code).toBe(0);
    } finally {
      await dir.remove();
    }
  });
});
