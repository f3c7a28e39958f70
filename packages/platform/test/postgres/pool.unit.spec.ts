import { createPool } from '../../src/postgres/pool.js';
import { createLogger } from '../../src/telemetry/logger.js';

const logger = createLogger({ service: 'test', level: 'silent' });
// Nothing listens there; creating a pool connects nothing.
const connectionString = 'postgres://nobody@127.0.0.1:1/none';

describe('createPool', () => {
  it('given no connection timeout, when the pool is made, then a checkout waits at most 10 s', async () => {
    const pool = createPool({ connectionString, applicationName: 'pool-test', logger });

    expect(pool.options.connectionTimeoutMillis).toBe(10_000);
    await pool.end();
  });

  it.each([0, -1, 1.5, Number.POSITIVE_INFINITY])('given a connection timeout of %s, when the pool is made, then it is refused', (timeoutMs) => {
    expect(() => createPool({ connectionString, applicationName: 'pool-test', logger, connectionTimeoutMs: timeoutMs })).toThrow(
      new RangeError(`connectionTimeoutMs must be a positive whole number of ms, got ${timeoutMs}`),
    );
  });
});
