import { createLogger } from '@msa/platform';
import { Registry } from 'prom-client';
import { orderMetricNames, sagaMetrics, type OverdueSagas } from '../../../src/adapters/saga/metrics.js';
import type { SagaState } from '../../../src/domain/saga.js';

const orderId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const state = (phase: SagaState['phase'], cancellation?: SagaState['cancellation']): SagaState => ({ orderId, phase, cancellation, refunds: [] });
const logger = createLogger({ service: 'order', level: 'silent' });

async function valuesOf(registry: Registry, name: string): Promise<{ labels: Record<string, string | number | undefined>; value: number }[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`${name} is not registered`);
  return (await metric.get()).values.map(({ labels, value }) => ({ labels: { ...labels }, value }));
}

describe('sagaMetrics', () => {
  it('given a placed order that completes, when its steps commit, then each step counts and one completed outcome', async () => {
    const registry = new Registry();
    const metrics = sagaMetrics(registry, { overdue: () => Promise.resolve({ count: 0, oldestSeconds: 0 }), logger });

    metrics.stepped('ORDER_PLACED', undefined, state('AWAITING_RESERVATION'));
    metrics.stepped('STOCK_RESERVED', 'AWAITING_RESERVATION', state('AWAITING_PAYMENT'));
    metrics.stepped('PAYMENT_COMPLETED', 'AWAITING_PAYMENT', state('COMPLETED'));

    expect(await valuesOf(registry, orderMetricNames.sagaSteps)).toEqual([
      { labels: { step: 'ORDER_PLACED' }, value: 1 },
      { labels: { step: 'STOCK_RESERVED' }, value: 1 },
      { labels: { step: 'PAYMENT_COMPLETED' }, value: 1 },
    ]);
    expect(await valuesOf(registry, orderMetricNames.sagaOutcomes)).toEqual([{ labels: { outcome: 'completed', reason: 'none' }, value: 1 }]);
  });

  it('given a cancelled saga, when a late step keeps it cancelled, then the cancellation counts once with its reason', async () => {
    const registry = new Registry();
    const metrics = sagaMetrics(registry, { overdue: () => Promise.resolve({ count: 0, oldestSeconds: 0 }), logger });
    const cancelled = state('CANCELLED', { reason: 'RESERVATION_TIMEOUT' });

    metrics.stepped('STOCK_RELEASED', 'RELEASING', cancelled);
    metrics.stepped('LATE_PAYMENT', 'CANCELLED', cancelled);

    expect(await valuesOf(registry, orderMetricNames.sagaOutcomes)).toEqual([{ labels: { outcome: 'cancelled', reason: 'RESERVATION_TIMEOUT' }, value: 1 }]);
  });

  it('given overdue sagas, when scraped, then both gauges show one read of them', async () => {
    const registry = new Registry();
    let reads = 0;
    sagaMetrics(registry, {
      overdue: () => {
        reads += 1;
        return Promise.resolve({ count: 3, oldestSeconds: 42.5 });
      },
      logger,
    });

    const text = await registry.metrics();

    expect(text).toContain(`${orderMetricNames.sagasOverdue} 3\n`);
    expect(text).toContain(`${orderMetricNames.oldestOverdueSeconds} 42.5\n`);
    expect(reads).toBe(1);
  });

  it('given the saga table cannot be read, when scraped, then the last figures stand and the scrape succeeds', async () => {
    const registry = new Registry();
    const answers: (() => Promise<OverdueSagas>)[] = [() => Promise.resolve({ count: 2, oldestSeconds: 10 }), () => Promise.reject(new Error('connection refused'))];
    sagaMetrics(registry, { overdue: () => (answers.shift() ?? (() => Promise.reject(new Error('no answer'))))(), logger });
    await registry.metrics();

    const text = await registry.metrics();

    expect(text).toContain(`${orderMetricNames.sagasOverdue} 2\n`);
    expect(text).toContain(`${orderMetricNames.oldestOverdueSeconds} 10\n`);
  });
});
