import { eventually } from '@msa/local';
import { stringify } from 'yaml';
import { panelQueries, prometheusExpr } from '../src/index.js';
import { completeOneOrder, programUrl } from './support/order-flow.js';
import { ensurePlatformRunning, programs } from './support/platform.js';
import { startPrometheus, type TestPrometheus } from './support/prometheus.js';

/** Scrapes every program `npm start` runs each second, labelling its series with `service` as the cluster's configuration does. */
function localScrapeConfig(): string {
  return stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: [
      {
        job_name: 'msa-local',
        static_configs: programs.map((service) => ({ targets: [new URL(programUrl(service)).host], labels: { service } })),
      },
    ],
  });
}

// The dashboards against the platform `npm start` runs: a Prometheus of the spec's own scrapes the
// seven programs while one order goes through, then every panel's query must return series.
describe('the dashboards against the running platform', () => {
  let prometheus: TestPrometheus | undefined;

  beforeAll(async () => {
    await ensurePlatformRunning();
    prometheus = await startPrometheus(localScrapeConfig());
  }, 600_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('given one order completed through the HTTP APIs, when every panel is queried, then each returns at least one series', async () => {
    const server = prometheus;
    if (server === undefined) throw new Error('prometheus did not start');
    const targets = await eventually(async () => {
      const found = await server.targets();
      return found.length === programs.length && found.every((target) => target.health === 'up') ? found : undefined;
    }, 30_000);
    expect(targets).toHaveLength(programs.length);

    await completeOneOrder();

    const queries = panelQueries();
    const emptyPanels = async (): Promise<string[]> => {
      const answers = await Promise.all(queries.map(async (query) => ({ query, series: await server.query(prometheusExpr(query.expr, '1m')) })));
      return answers.filter(({ series }) => series.length === 0).map(({ query }) => `${query.dashboard} / ${query.panel}: ${query.expr}`);
    };
    // A rate needs two scrapes of a series in its window: a panel may take a few seconds to fill.
    const deadline = Date.now() + 60_000;
    let empty = await emptyPanels();
    while (empty.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      empty = await emptyPanels();
    }

    expect(empty).toEqual([]);
  }, 180_000);
});
