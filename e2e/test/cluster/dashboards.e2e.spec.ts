import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@msa/local';
import { panelQueries, prometheusExpr } from '@msa/observability';
import request from 'supertest';
import { orderOf, paymentsOf, placeOrder, signUp, stockedProduct, terminalOrder } from '../support/shop.js';
import { clusterIpUrl, localNode, nodeAdmin, nodePortUrl, nodeShop } from './node.js';

/** The programs whose pods carry `prometheus.io/scrape`, by the `service` label Prometheus gives their series. */
const PROGRAMS = ['user', 'product', 'inventory', 'payment', 'order', 'notification', 'operator'];

/** Long enough for a rate over the 1 m window to see two of the in-cluster Prometheus' 15 s scrapes after the flow. */
const PANELS_DEADLINE_MS = 120_000;

interface ApiAnswer<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly error?: string;
}

/** A GET on the Prometheus HTTP API at `base`: its data, or a rejection naming the path. */
async function prometheusApi<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
  const answer = (await response.json()) as ApiAnswer<T>;
  if (answer.status !== 'success' || answer.data === undefined) throw new Error(`${path}: ${answer.error ?? `status ${response.status}`}`);
  return answer.data;
}

// The dashboards against the Prometheus the local-node profile runs in the cluster, which finds the
// pods by Kubernetes service discovery: after one order through the NodePorts, every panel's query
// must return series there.
describe('the dashboards against the Prometheus on the local node', () => {
  it('given one order completed through the in-cluster services, when every panel is queried on the in-cluster Prometheus, then each returns at least one series', async () => {
    const node = await localNode();
    const shop = await nodeShop(node);
    const prometheus = await clusterIpUrl(node, 'msa-prometheus');
    const scraped = await eventually(async () => {
      const { activeTargets } = await prometheusApi<{ activeTargets: { labels: Record<string, string>; health: string }[] }>(prometheus, '/api/v1/targets');
      const up = new Set(activeTargets.filter(({ health }) => health === 'up').map(({ labels }) => labels.service));
      return PROGRAMS.every((program) => up.has(program)) ? [...up].sort() : undefined;
    }, 60_000);
    expect(scraped).toEqual(expect.arrayContaining(PROGRAMS));

    const admin = await nodeAdmin(node, shop);
    const shopper = await signUp(shop, `node-dashboards-${randomUUID()}@e2e.example`);
    const productId = await stockedProduct(shop, admin, 5);
    // Read twice, so the catalog's cache misses and then hits.
    for (let read = 0; read < 2; read += 1) await shop.product.get(`/api/products/${productId}`).expect(200);
    const placed = await placeOrder(shop, shopper, orderOf(productId, 1));
    // Long enough for a payment pod that the other spec deleted to be replaced, should both run at once.
    expect((await terminalOrder(shop, shopper, placed.orderId, 180_000)).status).toBe('COMPLETED');
    await paymentsOf(shop, shopper, placed.orderId);
    await request(await nodePortUrl(node, 'notification')).get('/api/notifications').set('authorization', shopper.bearer).expect(200);

    const queries = panelQueries();
    const emptyPanels = async (): Promise<string[]> => {
      const answers = await Promise.all(
        queries.map(async (query) => ({
          query,
          series: await prometheusApi<{ result: unknown[] }>(prometheus, `/api/v1/query?query=${encodeURIComponent(prometheusExpr(query.expr, '1m'))}`),
        })),
      );
      return answers.filter(({ series }) => series.result.length === 0).map(({ query }) => `${query.dashboard} / ${query.panel}: ${query.expr}`);
    };
    const deadline = Date.now() + PANELS_DEADLINE_MS;
    let empty = await emptyPanels();
    while (empty.length > 0 && Date.now() < deadline) {
      await sleep(5_000);
      empty = await emptyPanels();
    }

    expect(empty).toEqual([]);
  }, 480_000);
});
