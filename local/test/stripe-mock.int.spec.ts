import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalConfig, startStripeMock, STRIPE_MOCK_API_KEY, type StripeMock } from '../src/index.js';

const auth = { authorization: `Bearer ${STRIPE_MOCK_API_KEY}` };

async function createPaymentIntent(mock: StripeMock): Promise<Response> {
  return fetch(`${mock.url}/v1/payment_intents`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'order-1' },
    body: new URLSearchParams({ amount: '1250', currency: 'eur' }),
  });
}

describe('stripe-mock', () => {
  it('given two started at once, when each is asked, then each answers on a loopback port of its own as the pinned version', async () => {
    const mocks = await Promise.all([startStripeMock(), startStripeMock()]);
    try {
      const [first, second] = mocks.map((mock) => new URL(mock.url));
      expect(first?.hostname).toBe('127.0.0.1');
      expect(first?.port).not.toBe(second?.port);
      for (const mock of mocks) {
        const response = await createPaymentIntent(mock);
        expect(response.status).toBe(200);
        expect(response.headers.get('stripe-mock-version')).toBe(readLocalConfig().get('STRIPE_MOCK_VERSION'));
        // It keeps nothing, but it reflects the idempotency key and the parameters it validated.
        expect(response.headers.get('idempotency-key')).toBe('order-1');
        expect(await response.json()).toMatchObject({ object: 'payment_intent', amount: 1250, currency: 'eur' });
      }
    } finally {
      await Promise.all(mocks.map((mock) => mock.stop()));
    }
  });

  it('given one stopped, when asked again, then nothing listens on its port', async () => {
    const mock = await startStripeMock();
    await mock.stop();

    await expect(createPaymentIntent(mock)).rejects.toThrow('fetch failed');
  });

  it('given fixtures of its own, when asked for their resource, then it answers from them, reflecting the parameters they hold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stripe-mock-'));
    const fixtures = join(dir, 'fixtures.json');
    await writeFile(
      fixtures,
      JSON.stringify({
        resources: { payment_intent: { id: 'pi_1', object: 'payment_intent', amount: 1, status: 'succeeded' } },
      }),
    );
    const mock = await startStripeMock({ fixtures });
    try {
      const response = await createPaymentIntent(mock);

      expect(await response.json()).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 1250 });
    } finally {
      await mock.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('given fixtures it cannot read, when started, then it fails with how the process ended and what it printed', async () => {
    await expect(startStripeMock({ fixtures: '/nonexistent/fixtures.json' })).rejects.toThrow(
      /stripe-mock v[\d.]+ at .* exited with code 1:[\s\S]*error loading fixtures/,
    );
  });
});
