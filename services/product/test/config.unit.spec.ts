import { loadConfig } from '@msa/platform';
import { configProblems, serviceEnvironment } from '@msa/platform/testing';
import { productConfigSchema } from '../src/config.js';

async function validEnvironment(): Promise<Record<string, string>> {
  return serviceEnvironment({ database: 'product' });
}

describe('Product service configuration', () => {
  it('given only the required variables, when loaded, then the documented defaults apply', async () => {
    expect(loadConfig(productConfigSchema, await validEnvironment())).toMatchObject({
      PORT: 8082,
      MONGO_DATABASE: 'product',
      JWT_ISSUER: 'msa-ecommerce/user',
      JWT_AUDIENCE: 'msa-ecommerce',
      CATALOG_PAGE_SIZE: 20,
      CATALOG_MAX_PAGE_SIZE: 100,
      CATALOG_CACHE_TTL: 300_000,
    });
  });

  it('given a page size that is not a number, when loaded, then start-up stops naming CATALOG_PAGE_SIZE', async () => {
    const env = { ...(await validEnvironment()), CATALOG_PAGE_SIZE: 'twenty' };

    expect(configProblems(() => loadConfig(productConfigSchema, env))).toEqual([
      { variable: 'CATALOG_PAGE_SIZE', message: 'expected an integer, got "twenty"' },
    ]);
  });

  it('given a maximum page size over 500, when loaded, then start-up stops naming CATALOG_MAX_PAGE_SIZE', async () => {
    const env = { ...(await validEnvironment()), CATALOG_MAX_PAGE_SIZE: '5000' };

    expect(configProblems(() => loadConfig(productConfigSchema, env))).toEqual([
      { variable: 'CATALOG_MAX_PAGE_SIZE', message: 'expected an integer from 1 to 500, got 5000' },
    ]);
  });

  it('given a default page size above the maximum, when loaded, then start-up stops naming CATALOG_PAGE_SIZE', async () => {
    const env = { ...(await validEnvironment()), CATALOG_PAGE_SIZE: '50', CATALOG_MAX_PAGE_SIZE: '40' };

    expect(configProblems(() => loadConfig(productConfigSchema, env))).toEqual([
      { variable: 'CATALOG_PAGE_SIZE', message: 'must not exceed CATALOG_MAX_PAGE_SIZE' },
    ]);
  });

  it('given a cache TTL under a second, when loaded, then start-up stops naming CATALOG_CACHE_TTL', async () => {
    const env = { ...(await validEnvironment()), CATALOG_CACHE_TTL: '500ms' };

    expect(configProblems(() => loadConfig(productConfigSchema, env))).toEqual([{ variable: 'CATALOG_CACHE_TTL', message: 'expected from 1s to 1d' }]);
  });

  it('given no Kafka brokers, when loaded, then start-up stops naming KAFKA_BROKERS', async () => {
    const env = { ...(await validEnvironment()), KAFKA_BROKERS: undefined };

    expect(configProblems(() => loadConfig(productConfigSchema, env))).toEqual([{ variable: 'KAFKA_BROKERS', message: 'required but not set' }]);
  });
});
