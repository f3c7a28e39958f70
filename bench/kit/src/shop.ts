import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTokenIssuer, env } from '@msa/platform';
import type { Platform } from './platform.js';

const PASSWORD = 'correct horse battery staple';

/** An HTTP answer: its status and its JSON body, if any. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Sends a JSON request and reads its JSON answer; the bearer and headers are the caller's. */
export async function call(url: string, init: { method?: string; bearer?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.bearer !== undefined) headers.authorization = init.bearer;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function expectStatus(what: string, status: number, answer: Promise<Answer>): Promise<Record<string, unknown>> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body as Record<string, unknown>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** An admin's bearer, signed with the local signing key as the user service signs its tokens. */
export async function adminBearer(platform: Platform): Promise<string> {
  const file = JSON.parse(await readFile(join(platform.stateDir, 'secrets', 'signing-key.json'), 'utf8')) as { privateJwk: unknown };
  const privateJwk = env.signingKey().parse(JSON.stringify(file.privateJwk)).reveal();
  const tokens = await createTokenIssuer({ privateJwk, issuer: 'msa-ecommerce', audience: 'msa-ecommerce', ttlMs: 3_600_000 });
  const { token } = await tokens.issue({ userId: randomUUID(), email: 'bench-admin@msa.local', roles: ['admin'] });
  return `Bearer ${token}`;
}

/** What the bench made through the APIs: customers' bearers and stocked products. */
export interface Shop {
  readonly admin: string;
  readonly customers: readonly string[];
  readonly productIds: readonly string[];
}

/** How big a shop to make. */
export interface ShopSize {
  readonly customers: number;
  readonly products: number;
  /** Units each product is stocked with. */
  readonly stock: number;
  /** Who made it, in the restock note and the product descriptions. */
  readonly by: string;
}

/**
 * Signs customers up on the user service (the notification service mails their receipts, so they
 * are real users), creates products on the product service, waits until inventory has opened each
 * one's stock record, and stocks it.
 */
export async function openShop(platform: Platform, size: ShopSize): Promise<Shop> {
  const { urls } = platform;
  const admin = await adminBearer(platform);
  const run = randomUUID().slice(0, 8);
  const customers: string[] = [];
  for (let i = 0; i < size.customers; i += 1) {
    const email = `bench-${run}-${i}@bench.example`;
    await expectStatus('sign-up', 201, call(`${urls.user}/api/users`, { body: { email, password: PASSWORD, name: `Bench ${i}` } }));
    const login = await expectStatus('login', 200, call(`${urls.user}/api/users/login`, { body: { email, password: PASSWORD } }));
    customers.push(`Bearer ${String(login.accessToken)}`);
  }
  const category = await expectStatus('category', 201, call(`${urls.product}/api/categories`, { bearer: admin, body: { name: `Bench ${run}` } }));
  const productIds: string[] = [];
  for (let i = 0; i < size.products; i += 1) {
    const product = await expectStatus(
      'product',
      201,
      call(`${urls.product}/api/products`, {
        bearer: admin,
        body: {
          sku: `BENCH-${run}-${i}`,
          name: `Bench item ${run} ${i}`,
          description: `Made by the ${size.by}`,
          categoryId: String(category.id),
          price: { amountMinor: 1_000 + i, currency: 'EUR' },
        },
      }),
    );
    productIds.push(String(product.id));
  }
  for (const productId of productIds) {
    await until(`stock record of ${productId}`, async () => ((await call(`${urls.inventory}/api/inventory/${productId}`)).status === 200 ? true : undefined));
    await expectStatus('restock', 200, call(`${urls.inventory}/api/inventory/${productId}/restock`, { bearer: admin, body: { quantity: size.stock, note: size.by } }));
  }
  return { admin, customers, productIds };
}

/** The body of an order of one unit of `productId`, paid with Stripe's succeeding test card. */
export function orderBody(productId: string): unknown {
  return { items: [{ productId, quantity: 1 }], payment: { method: 'CARD', token: 'pm_card_visa' } };
}

/**
 * Places one order per product, retrying a 422 until the order service's price list has the
 * product (it learns the catalog from Kafka): the platform is then ready for the measured orders.
 */
export async function firstOrders(platform: Platform, shop: Shop): Promise<string[]> {
  const orderIds: string[] = [];
  for (const [index, productId] of shop.productIds.entries()) {
    const bearer = shop.customers[index % shop.customers.length] ?? shop.admin;
    const key = randomUUID();
    const created = await until(`the price list's ${productId}`, async () => {
      const answer = await call(`${platform.urls.order}/api/orders`, { bearer, body: orderBody(productId), headers: { 'idempotency-key': key } });
      if (answer.status === 201) return answer.body as { orderId: string };
      if (answer.status !== 422) throw new Error(`first order: ${answer.status} ${JSON.stringify(answer.body)}`);
      return undefined;
    });
    orderIds.push(created.orderId);
  }
  return orderIds;
}
