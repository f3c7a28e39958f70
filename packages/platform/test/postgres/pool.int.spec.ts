import { performance } from 'node:perf_hooks';
import { createTestDatabase, startSwitchableProxy, within, type TestDatabase } from '@msa/local';
import type pg from 'pg';
import { unavailableDependency } from '../../src/dependencies/unavailable.js';
import { createPool } from '../../src/postgres/pool.js';
import { withTransaction } from '../../src/postgres/transaction.js';
import { createLogger } from '../../src/telemetry/logger.js';

const BOUND_MS = 500;
/** Far past the bound, far short of the test's own timeout: a checkout still waiting then waits forever. */
const HANGING_MS = 5_000;

/** How `work` ended and when, or a rejection saying it was still waiting after `ms`. */
async function settledWithin(ms: number, work: Promise<unknown>): Promise<{ readonly error: unknown; readonly afterMs: number }> {
  const started = performance.now();
  const error = await within(ms, work.then(() => undefined, (failure: unknown) => failure));
  return { error, afterMs: performance.now() - started };
}

describe('PostgreSQL pool checkout', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let database: TestDatabase;
  let pool: pg.Pool;
  let held: pg.PoolClient | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('pool_checkout');
  });
  afterEach(async () => {
    held?.release();
    held = undefined;
    await pool.end();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('given a pool of one whose client is held, when a transaction needs another, then the checkout fails within the bound as postgres being unavailable', async () => {
    pool = createPool({ connectionString: database.url, applicationName: 'pool-test', logger, max: 1, connectionTimeoutMs: BOUND_MS });
    held = await pool.connect();

    const { error, afterMs } = await settledWithin(HANGING_MS, withTransaction(pool, () => Promise.resolve()));

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('timeout exceeded when trying to connect');
    expect(afterMs).toBeGreaterThanOrEqual(BOUND_MS - 50);
    expect(afterMs).toBeLessThan(BOUND_MS + 1_500);
    expect(unavailableDependency(error)).toEqual({ dependency: 'postgres', reason: 'no connection free in time' });
  });

  it('given the held client is released in time, when another checkout waits, then it gets that client', async () => {
    pool = createPool({ connectionString: database.url, applicationName: 'pool-test', logger, max: 1, connectionTimeoutMs: BOUND_MS });
    const first = await pool.connect();
    const waiting = pool.connect();
    first.release();

    held = await waiting;

    expect((await held.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('given a transaction in flight, when its connection is lost, then it fails as postgres being unavailable and the process carries on', async () => {
    const server = new URL(database.url);
    const proxy = await startSwitchableProxy(server.hostname, Number(server.port));
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    pool = createPool({ connectionString: proxied.toString(), applicationName: 'pool-test', logger, max: 1, connectionTimeoutMs: BOUND_MS });
    try {
      const inFlight = withTransaction(pool, (tx) => tx.client.query('select pg_sleep(2)'));
      await new Promise((resolve) => setTimeout(resolve, 200));

      // pg emits the lost connection as an `error` event on the checked-out client as well as
      // rejecting its query; pg-pool listens only while the client is idle, so without a listener of
      // the pool's own that event is an uncaught exception that ends the process.
      proxy.cut();
      const { error } = await settledWithin(HANGING_MS, inFlight);

      expect(unavailableDependency(error)?.dependency).toBe('postgres');
      proxy.restore();
      expect((await pool.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await proxy.close();
    }
  });
});
