import { performance } from 'node:perf_hooks';
import { createTestDatabase, within, type TestDatabase } from '@msa/local';
import type pg from 'pg';
import { unavailableDependency } from '../../src/http/dependency-errors.js';
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
});
