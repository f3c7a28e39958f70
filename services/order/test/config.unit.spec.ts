import { loadConfig } from '@msa/platform';
import { configProblems, serviceEnvironment } from '@msa/platform/testing';
import { orderConfigSchema } from '../src/config.js';

async function validEnvironment(): Promise<Record<string, string>> {
  return serviceEnvironment({ database: 'order' });
}

describe('Order service configuration', () => {
  it('given only the required variables, when loaded, then the documented defaults apply', async () => {
    expect(loadConfig(orderConfigSchema, await validEnvironment())).toMatchObject({
      PORT: 8083,
      MONGO_DATABASE: 'order',
      ORDER_RESERVATION_TIMEOUT: 60_000,
      ORDER_PAYMENT_TIMEOUT: 300_000,
      ORDER_DEADLINE_POLL_INTERVAL: 1_000,
      ORDER_DEADLINE_RETRY_DELAY: 30_000,
      ORDER_PAGE_SIZE: 20,
      ORDER_MAX_PAGE_SIZE: 100,
    });
  });

  it('given deadlines as durations, when loaded, then they are milliseconds', async () => {
    const env = { ...(await validEnvironment()), ORDER_RESERVATION_TIMEOUT: '30s', ORDER_PAYMENT_TIMEOUT: '2m' };

    expect(loadConfig(orderConfigSchema, env)).toMatchObject({ ORDER_RESERVATION_TIMEOUT: 30_000, ORDER_PAYMENT_TIMEOUT: 120_000 });
  });

  it('given a reservation timeout under a second, when loaded, then start-up stops naming ORDER_RESERVATION_TIMEOUT', async () => {
    const env = { ...(await validEnvironment()), ORDER_RESERVATION_TIMEOUT: '500ms' };

    expect(configProblems(() => loadConfig(orderConfigSchema, env))).toEqual([{ variable: 'ORDER_RESERVATION_TIMEOUT', message: 'expected from 1s to 1d' }]);
  });

  it('given a payment timeout that is not a duration, when loaded, then start-up stops naming ORDER_PAYMENT_TIMEOUT', async () => {
    const env = { ...(await validEnvironment()), ORDER_PAYMENT_TIMEOUT: 'soon' };

    expect(configProblems(() => loadConfig(orderConfigSchema, env)).map((problem) => problem.variable)).toEqual(['ORDER_PAYMENT_TIMEOUT']);
  });

  it('given a default page size above the maximum, when loaded, then start-up stops naming ORDER_PAGE_SIZE', async () => {
    const env = { ...(await validEnvironment()), ORDER_PAGE_SIZE: '50', ORDER_MAX_PAGE_SIZE: '40' };

    expect(configProblems(() => loadConfig(orderConfigSchema, env))).toEqual([{ variable: 'ORDER_PAGE_SIZE', message: 'must not exceed ORDER_MAX_PAGE_SIZE' }]);
  });
});
