import { loadConfig } from '@msa/platform';
import { configProblems, serviceEnvironment } from '@msa/platform/testing';
import { inventoryConfigSchema } from '../src/config.js';

async function validEnvironment(): Promise<Record<string, string>> {
  return serviceEnvironment({ database: 'inventory' });
}

describe('Inventory service configuration', () => {
  it('given only the required variables, when loaded, then the documented defaults apply', async () => {
    expect(loadConfig(inventoryConfigSchema, await validEnvironment())).toMatchObject({
      PORT: 8085,
      MONGO_DATABASE: 'inventory',
      INVENTORY_LOW_WATER_MARK: 0,
    });
  });

  it('given a low-water mark of 5, when loaded, then it is 5', async () => {
    const env = { ...(await validEnvironment()), INVENTORY_LOW_WATER_MARK: '5' };

    expect(loadConfig(inventoryConfigSchema, env).INVENTORY_LOW_WATER_MARK).toBe(5);
  });

  it('given a negative low-water mark, when loaded, then start-up stops naming INVENTORY_LOW_WATER_MARK', async () => {
    const env = { ...(await validEnvironment()), INVENTORY_LOW_WATER_MARK: '-1' };

    expect(configProblems(() => loadConfig(inventoryConfigSchema, env))).toEqual([
      { variable: 'INVENTORY_LOW_WATER_MARK', message: 'expected an integer from 0 to 1000000, got -1' },
    ]);
  });
});
