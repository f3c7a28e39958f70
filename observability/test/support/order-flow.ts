import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { eventually, readLocalConfig, repoRoot } from '@msa/local';
import { createTokenIssuer, env } from '@msa/platform';

const PASSWORD = 'correct horse battery staple';
const config = readLocalConfig();
const port = (name: string): string => config.get(`MSA_${name.toUpperCase()}_PORT`) ?? '';

/** Where `npm start` serves a program. */
export const programUrl = (name: string): string => `http://127.0.0.1:${port(name)}`;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(url: string, init: { bearer?: string; body?: unknown } = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(init.bearer === undefined ? {} : { authorization: init.bearer }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function expectStatus(what: string, status: number, answer: Promise<Answer>): Promise<Record<string, unknown>> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body;
}

/** An admin's bearer, signed with the local signing key as the user service signs its tokens. */
async function adminBearer(): Promise<string> {
  const state = config.get('MSA_STATE_DIR') ?? '.local';
  const file = join(isAbsolute(state) ? state : join(repoRoot, state), 'secrets', 'signing-key.json');
  const { privateJwk } = JSON.parse(await readFile(file, 'utf8')) as { privateJwk: unknown };
  const tokens = await createTokenIssuer({
    privateJwk: env.signingKey().parse(JSON.stringify(privateJwk)).reveal(),
    issuer: 'msa-ecommerce',
    audience: 'msa-ecommerce',
    ttlMs: 600_000,
  });
  const { token } = await tokens.issue({ userId: randomUUID(), email: 'observability-admin@msa.local', roles: ['admin'] });
  return `Bearer ${token}`;
}

/**
 * One order through the platform's HTTP APIs as `npm start` runs it: a customer signs up and logs
 * in, an admin lists a product (read twice, so the catalog's cache misses then hits) and stocks it,
 * the customer orders it with a card that succeeds, the order's saga completes, and the customer
 * reads its payments and notifications. Returns the order's id.
 */
export async function completeOneOrder(): Promise<string> {
  const run = randomUUID().slice(0, 8);
  const admin = await adminBearer();
  const email = `observability-${run}@observability.example`;
  await expectStatus('sign-up', 201, call(`${programUrl('user')}/api/users`, { body: { email, password: PASSWORD, name: 'Grace' } }));
  const login = await expectStatus('login', 200, call(`${programUrl('user')}/api/users/login`, { body: { email, password: PASSWORD } }));
  const customer = `Bearer ${String(login.accessToken)}`;

  const category = await expectStatus('category', 201, call(`${programUrl('product')}/api/categories`, { bearer: admin, body: { name: `Observability ${run}` } }));
  const product = await expectStatus(
    'product',
    201,
    call(`${programUrl('product')}/api/products`, {
      bearer: admin,
      body: { sku: `OBS-${run}`, name: `Observed kettle ${run}`, description: 'Ordered by the dashboards spec', categoryId: String(category.id), price: { amountMinor: 2_990, currency: 'EUR' } },
    }),
  );
  const productId = String(product.id);
  for (let read = 0; read < 2; read += 1) {
    await eventually(async () => ((await call(`${programUrl('product')}/api/products/${productId}`)).status === 200 ? true : undefined));
  }
  await eventually(async () => ((await call(`${programUrl('inventory')}/api/inventory/${productId}`)).status === 200 ? true : undefined));
  await expectStatus('restock', 200, call(`${programUrl('inventory')}/api/inventory/${productId}/restock`, { bearer: admin, body: { quantity: 5, note: 'dashboards spec' } }));

  const order = { items: [{ productId, quantity: 1 }], payment: { method: 'CARD', token: 'pm_card_visa' } };
  // The order service learns the catalog from Kafka: a 422 until its price list has the product.
  const placed = await eventually(async () => {
    const answer = await call(`${programUrl('order')}/api/orders`, { bearer: customer, body: order });
    if (answer.status === 201) return answer.body;
    if (answer.status !== 422) throw new Error(`order: ${answer.status} ${JSON.stringify(answer.body)}`);
    return undefined;
  }, 30_000);
  const orderId = String(placed.orderId);
  const completed = await eventually(async () => {
    const { body } = await call(`${programUrl('order')}/api/orders/${orderId}`, { bearer: customer });
    return body.status === 'COMPLETED' || body.status === 'CANCELLED' ? body.status : undefined;
  }, 60_000);
  if (completed !== 'COMPLETED') throw new Error(`order ${orderId} ended ${completed}`);
  await expectStatus('payments', 200, call(`${programUrl('payment')}/api/payments?orderId=${orderId}`, { bearer: customer }));
  await expectStatus('notifications', 200, call(`${programUrl('notification')}/api/notifications`, { bearer: customer }));
  return orderId;
}
