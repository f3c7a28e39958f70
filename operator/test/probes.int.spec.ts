import type { RunningOperator } from '../src/app.js';
import { core, createNamespace, startTestOperator } from './support/harness.js';

let namespace: string;
let operator: RunningOperator;

beforeEach(async () => {
  namespace = await createNamespace();
  operator = await startTestOperator({ namespace });
});

afterEach(async () => {
  await operator.stop();
  await core.deleteNamespace({ name: namespace });
});

const get = (path: string) => fetch(`http://127.0.0.1:${operator.httpPort}${path}`);

describe('operator probes', () => {
  it('given a started operator, when probed, then it is healthy and ready', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
  });

  it('given a started operator, when metrics are scraped, then reconciliation, queue and leader metrics are there', async () => {
    const body = await (await get('/metrics')).text();

    for (const name of [
      'topic_operator_reconciliations_total',
      'topic_operator_reconciliation_failures_total',
      'topic_operator_reconciliation_duration_seconds',
      'topic_operator_queue_depth',
      'topic_operator_leader',
      'process_resident_memory_bytes',
    ]) {
      expect(body).toContain(`# TYPE ${name}`);
    }
  });

  it('given an unknown path or method, when requested, then it is an RFC 9457 problem', async () => {
    const notFound = await get('/nope');
    const notAllowed = await fetch(`http://127.0.0.1:${operator.httpPort}/healthz`, { method: 'POST' });

    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toBe('application/problem+json');
    expect(await notFound.json()).toMatchObject({ status: 404, title: 'Not Found', detail: expect.stringContaining('/nope') as unknown });
    expect(notAllowed.status).toBe(405);
  });
});
