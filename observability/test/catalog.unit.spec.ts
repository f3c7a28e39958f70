import { deliveryMetrics } from '@msa/notification-service/metrics';
import { createMetrics } from '@msa/operator/metrics';
import { sagaMetrics } from '@msa/order-service/metrics';
import { paymentMetrics } from '@msa/payment-service/metrics';
import { createLogger } from '@msa/platform';
import { createCacheMetrics, createPlatformMetrics } from '@msa/platform/metrics';
import { parse } from 'yaml';
import { alertRulesYaml, dashboards, panelQueries } from '../src/index.js';
import { metricNamesIn } from './support/promql.js';

/** Every series name the programs' registries expose, histograms with their _bucket, _sum and _count. */
async function registeredNames(): Promise<ReadonlySet<string>> {
  const service = createPlatformMetrics();
  createCacheMetrics(service.registry);
  sagaMetrics(service.registry, { overdue: () => Promise.resolve({ count: 0, oldestSeconds: 0 }), logger: createLogger({ service: 'order', level: 'silent' }) });
  paymentMetrics(service.registry, 'sandbox');
  deliveryMetrics(service.registry);
  const metrics = [...(await service.registry.getMetricsAsJSON()), ...(await createMetrics().registry.getMetricsAsJSON())];
  return new Set(metrics.flatMap(({ name, type }) => (String(type) === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])));
}

interface RuleFile {
  readonly groups: readonly { readonly name: string; readonly rules: readonly Record<string, unknown>[] }[];
}

describe('the dashboards', () => {
  it('given every dashboard, when parsed, then each is JSON with a uid, file name and title of its own', () => {
    const files = dashboards();
    const models = files.map(({ json }) => JSON.parse(json) as { uid: string; title: string });

    expect(files.map((file) => file.fileName)).toEqual(models.map((model) => `${model.uid}.json`));
    expect(new Set(models.map((model) => model.uid)).size).toBe(files.length);
    expect(new Set(models.map((model) => model.title)).size).toBe(files.length);
    expect(models.map((model) => model.uid)).toEqual(expect.arrayContaining(['msa-overview', 'msa-operator', 'msa-service-order', 'msa-service-notification']));
  });

  it('given every dashboard, when its panels are listed, then each has an id of its own and fits the 24-column grid', () => {
    for (const { fileName, json } of dashboards()) {
      const { panels } = JSON.parse(json) as { panels: { id: number; gridPos: { x: number; w: number } }[] };

      expect({ fileName, ids: new Set(panels.map((panel) => panel.id)).size }).toEqual({ fileName, ids: panels.length });
      expect(panels.filter((panel) => panel.gridPos.x + panel.gridPos.w > 24)).toEqual([]);
    }
  });

  it('given every panel, when its queries are read, then each selects only metrics the code registers', async () => {
    const registered = await registeredNames();
    const queries = panelQueries();

    const unknown = queries.flatMap(({ dashboard, panel, expr }) => metricNamesIn(expr).filter((name) => !registered.has(name)).map((name) => `${dashboard} / ${panel}: ${name}`));

    expect(queries.length).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });

  it('given a panel query, when its metric names are read, then a name the code does not register is found', async () => {
    const registered = await registeredNames();

    const names = metricNamesIn('histogram_quantile(0.99, sum by (service, le) (rate(http_request_durations_bucket{route!~"/health/.*"}[5m]))) or vector(0)');

    expect(names).toEqual(['http_request_durations_bucket']);
    expect(registered.has('http_request_durations_bucket')).toBe(false);
  });
});

describe('the alert rules', () => {
  it('given the rule file, when parsed, then every rule has a for, a severity, a summary and a description, and selects registered metrics', async () => {
    const registered = await registeredNames();
    const { groups } = parse(alertRulesYaml()) as RuleFile;
    const rules = groups.flatMap((group) => group.rules);

    expect(rules.map((rule) => rule.alert)).toEqual([
      'ConsumerLagHigh',
      'DeadLettersGrowing',
      'DeadLetterWritesFailing',
      'OutboxLagHigh',
      'OutboxEventsUnpublishable',
      'OrderSagasStuck',
    ]);
    for (const rule of rules) {
      expect(rule).toMatchObject({
        for: expect.stringMatching(/^\d+[smh]$/) as unknown,
        labels: { severity: expect.stringMatching(/^(warning|critical)$/) as unknown },
        annotations: { summary: expect.any(String) as unknown, description: expect.any(String) as unknown },
      });
      expect(metricNamesIn(String(rule.expr)).filter((name) => !registered.has(name))).toEqual([]);
    }
  });
});
