import { loadConfig } from '@msa/platform';
import { configProblems, serviceEnvironment } from '@msa/platform/testing';
import type pg from 'pg';
import { configuredGateway } from '../src/adapters/gateway/configured.js';
import { paymentConfigSchema } from '../src/config.js';

async function validEnvironment(): Promise<Record<string, string | undefined>> {
  return serviceEnvironment({ database: 'payment' });
}

// The gateways only keep the pool; nothing connects while they are built.
const noPool = {} as pg.Pool;

describe('Payment service configuration', () => {
  it('given only the required variables, when loaded, then the documented defaults apply, with the sandbox gateway', async () => {
    const config = loadConfig(paymentConfigSchema, await validEnvironment());

    expect(config).toMatchObject({
      PORT: 8084,
      MONGO_DATABASE: 'payment',
      PAYMENT_GATEWAY: 'sandbox',
      PAYMENT_GATEWAY_TIMEOUT: 10_000,
      PAYMENT_SANDBOX_LATENCY: 0,
      PAYMENT_SANDBOX_ERROR_RATE: 0,
      PAYMENT_WORKER_POLL_INTERVAL: 1_000,
      PAYMENT_WORKER_BATCH_SIZE: 10,
      PAYMENT_MAX_ATTEMPTS: 5,
      PAYMENT_BACKOFF_BASE: 2_000,
      PAYMENT_BACKOFF_MAX: 60_000,
      PAYMENT_LEASE: 60_000,
    });
    expect(configuredGateway(config, noPool).name).toBe('sandbox');
  });

  it('given the stripe gateway without its key and base, when loaded, then start-up stops naming both', async () => {
    const env = { ...(await validEnvironment()), PAYMENT_GATEWAY: 'stripe' };

    expect(configProblems(() => loadConfig(paymentConfigSchema, env))).toEqual([
      { variable: 'STRIPE_API_KEY', message: 'is required with PAYMENT_GATEWAY=stripe' },
      { variable: 'STRIPE_API_BASE', message: 'is required with PAYMENT_GATEWAY=stripe' },
    ]);
  });

  it('given the stripe gateway with its key and a stripe-mock base, when loaded, then the Stripe adapter is built', async () => {
    const env = { ...(await validEnvironment()), PAYMENT_GATEWAY: 'stripe', STRIPE_API_KEY: 'sk_test_123', STRIPE_API_BASE: 'http://127.0.0.1:12111' };

    expect(configuredGateway(loadConfig(paymentConfigSchema, env), noPool).name).toBe('stripe');
  });

  it('given an unknown gateway, when loaded, then start-up stops naming PAYMENT_GATEWAY', async () => {
    const env = { ...(await validEnvironment()), PAYMENT_GATEWAY: 'paypal' };

    expect(configProblems(() => loadConfig(paymentConfigSchema, env)).map((problem) => problem.variable)).toEqual(['PAYMENT_GATEWAY']);
  });

  it('given an error rate outside 0..1, when loaded, then start-up stops naming PAYMENT_SANDBOX_ERROR_RATE', async () => {
    const env = { ...(await validEnvironment()), PAYMENT_SANDBOX_ERROR_RATE: '1.5' };

    expect(configProblems(() => loadConfig(paymentConfigSchema, env))).toEqual([
      { variable: 'PAYMENT_SANDBOX_ERROR_RATE', message: 'expected a number from 0 to 1, got "1.5"' },
    ]);
  });

  it('given a lease no longer than a gateway call, when loaded, then start-up stops naming PAYMENT_LEASE', async () => {
    const env = { ...(await validEnvironment()), PAYMENT_GATEWAY_TIMEOUT: '30s', PAYMENT_LEASE: '30s' };

    expect(configProblems(() => loadConfig(paymentConfigSchema, env))).toEqual([
      { variable: 'PAYMENT_LEASE', message: 'must be longer than PAYMENT_GATEWAY_TIMEOUT' },
    ]);
  });

  it('given a backoff cap under its base, when loaded, then start-up stops naming PAYMENT_BACKOFF_MAX', async () => {
    const env = { ...(await validEnvironment()), PAYMENT_BACKOFF_BASE: '10s', PAYMENT_BACKOFF_MAX: '5s' };

    expect(configProblems(() => loadConfig(paymentConfigSchema, env))).toEqual([
      { variable: 'PAYMENT_BACKOFF_MAX', message: 'must be at least PAYMENT_BACKOFF_BASE' },
    ]);
  });
});
