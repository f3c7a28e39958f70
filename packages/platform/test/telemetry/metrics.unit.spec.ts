import { cacheMetricNames, createCacheMetrics, createPlatformMetrics, platformMetricNames, processMetricNames } from '../../src/telemetry/catalog.js';

describe('createPlatformMetrics', () => {
  it('given fresh metrics, when scraped, then every platform metric and the Node defaults are exposed', async () => {
    const metrics = createPlatformMetrics();
    metrics.httpRequestDuration.observe({ method: 'GET', route: '/api/users/me', status: '200' }, 0.012);
    metrics.consumerLag.set({ topic: 'user.profile.created', partition: '0', group: 'user-read-model' }, 3);
    metrics.dltMessages.inc({ topic: 'user.profile.created', reason: 'unparseable' });

    const text = await metrics.registry.metrics();

    for (const name of [
      'http_request_duration_seconds',
      'consumer_lag',
      'outbox_lag_events',
      'outbox_lag_seconds',
      'outbox_published_total',
      'dlt_messages_total',
      'consumer_handled_total',
      'consumer_retries_total',
      'process_cpu_user_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.025",method="GET",route="/api/users/me",status="200"} 1');
    expect(text).toContain('consumer_lag{topic="user.profile.created",partition="0",group="user-read-model"} 3');
  });

  it('given two sets of metrics, when created side by side, then their registries do not collide', () => {
    expect(() => [createPlatformMetrics(), createPlatformMetrics()]).not.toThrow();
  });
});

describe('the metric catalog', () => {
  it('given fresh platform metrics and a cache, when listed, then every catalogued name is one they register', async () => {
    const metrics = createPlatformMetrics();
    createCacheMetrics(metrics.registry);

    const registered = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);

    expect(registered).toEqual(
      expect.arrayContaining([...Object.values(platformMetricNames), ...Object.values(processMetricNames), ...Object.values(cacheMetricNames)]),
    );
  });
});
