import { randomUUID } from 'node:crypto';
import { eventually, honouringRetryAfter } from '@msa/local';
import type { TestPlatform } from './platform.js';

/** The password every spec's user signs up with. */
export const PASSWORD = 'correct horse battery staple';

/** The services' HTTP APIs a shopper and an admin use: in-process platforms and the local node's NodePorts alike. */
export type Shop = Pick<TestPlatform, 'user' | 'product' | 'inventory' | 'payment' | 'order'>;

/** A signed-up user: their address and the bearer header of their token. */
export interface Customer {
  readonly email: string;
  readonly bearer: string;
}

/** Signs `email` up on the user service and logs in. */
export async function signUp(platform: Shop, email = `shopper-${randomUUID()}@e2e.example`, name = 'Shopper'): Promise<Customer> {
  await platform.user.post('/api/users').send({ email, password: PASSWORD, name }).expect(201);
  return logIn(platform, email);
}

/** Logs `email`, signed up with the specs' password, in. */
export async function logIn(platform: Shop, email: string): Promise<Customer> {
  const login = await platform.user.post('/api/users/login').send({ email, password: PASSWORD }).expect(200);
  return { email, bearer: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
}

/** A product's stock as the inventory service serves it. */
export interface Stock {
  readonly productId: string;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
  readonly received: number;
}

/** The stock of `productId`; a 503 is asked again after its `Retry-After`, as a good client would. */
export async function stockOf(platform: Shop, productId: string): Promise<Stock> {
  const res = await honouringRetryAfter(() => platform.inventory.get(`/api/inventory/${productId}`));
  if (res.status !== 200) throw new Error(`GET /api/inventory/${productId} answered ${res.status}: ${res.text}`);
  return res.body as Stock;
}

/** The stock of `productId` once `sold` units are sold: inventory sells held units when it consumes `OrderCompleted`, after the order shows COMPLETED. */
export async function stockOnceSold(platform: Shop, productId: string, sold: number): Promise<Stock> {
  return eventually(async () => {
    const stock = await stockOf(platform, productId);
    return stock.sold >= sold ? stock : undefined;
  });
}

/**
 * Creates a product on the product service (the admin's token), waits until inventory has opened its
 * stock record from `ProductCreated`, and restocks it with `units`.
 */
export async function stockedProduct(platform: Shop, admin: Customer, units: number, amountMinor = 2_500): Promise<string> {
  const word = randomUUID().slice(0, 8);
  const category = await platform.product.post('/api/categories').set('authorization', admin.bearer).send({ name: `Saga ${word}` }).expect(201);
  const created = await platform.product
    .post('/api/products')
    .set('authorization', admin.bearer)
    .send({
      sku: `SAGA-${word}`,
      name: `Saga kettle ${word}`,
      description: 'Enamelled steel, 1.5 l',
      categoryId: (category.body as { id: string }).id,
      price: { amountMinor, currency: 'EUR' },
    })
    .expect(201);
  const productId = (created.body as { id: string }).id;
  await eventually(async () => ((await platform.inventory.get(`/api/inventory/${productId}`)).status === 200 ? true : undefined), 30_000);
  if (units > 0) await platform.inventory.post(`/api/inventory/${productId}/restock`).set('authorization', admin.bearer).send({ quantity: units }).expect(200);
  return productId;
}

/** The order view the order service answers with, as far as the specs read it. */
export interface OrderView {
  readonly orderId: string;
  readonly status: 'CREATED' | 'CONFIRMED' | 'COMPLETED' | 'CANCELLED';
  readonly cancellation?: { readonly reason: string; readonly detail?: string };
}

/** The body of an order of `quantity` units of `productId`, paid with `token`. */
export function orderOf(productId: string, quantity: number, token = 'pm_card_visa'): unknown {
  return { items: [{ productId, quantity }], payment: { method: 'CARD', token } };
}

/**
 * Places an order, retrying while the order service answers 422 because its price list (projected
 * from the catalog's topics) has not heard of the product yet; one Idempotency-Key for every try.
 */
export async function placeOrder(platform: Shop, customer: Customer, body: unknown): Promise<OrderView> {
  const key = randomUUID();
  return eventually(async () => {
    const answer = await platform.order.post('/api/orders').set('authorization', customer.bearer).set('idempotency-key', key).send(body as object);
    if (answer.status === 201) return answer.body as OrderView;
    if (answer.status !== 422) throw new Error(`POST /api/orders answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return undefined;
  }, 30_000);
}

/** The order once its saga has ended: COMPLETED or CANCELLED. */
export async function terminalOrder(platform: Shop, customer: Customer, orderId: string, timeoutMs = 60_000): Promise<OrderView> {
  return eventually(async () => {
    const answer = await platform.order.get(`/api/orders/${orderId}`).set('authorization', customer.bearer);
    if (answer.status !== 200) return undefined;
    const view = answer.body as OrderView;
    return view.status === 'COMPLETED' || view.status === 'CANCELLED' ? view : undefined;
  }, timeoutMs);
}

/** A payment as the payment service lists it. */
export interface PaymentView {
  readonly paymentId: string;
  readonly status: 'INITIATED' | 'COMPLETED' | 'FAILED' | 'REFUNDED';
  readonly failure?: { readonly code: string; readonly reason: string };
}

/** The payments of `orderId`, as its owner sees them. */
export async function paymentsOf(platform: Shop, customer: Customer, orderId: string): Promise<PaymentView[]> {
  const answer = await platform.payment.get(`/api/payments?orderId=${orderId}`).set('authorization', customer.bearer).expect(200);
  return (answer.body as { items: PaymentView[] }).items;
}

/** Successful charges the sandbox gateway made for `orderId` (its idempotency key), from its own table. */
export async function sandboxCharges(platform: TestPlatform, orderId: string): Promise<number> {
  const { rows } = await platform.pools.payment.query<{ charges: number }>(
    "select count(*)::int as charges from payment_sandbox_charges where idempotency_key = $1 and status = 'succeeded'",
    [orderId],
  );
  return rows[0]?.charges ?? 0;
}

/** How many `eventType` events the payment event store holds for `orderId`. */
export async function paymentEvents(platform: TestPlatform, eventType: string, orderId: string): Promise<number> {
  const { rows } = await platform.pools.payment.query<{ count: number }>(
    "select count(*)::int as count from events where event_type = $1 and payload->>'orderId' = $2",
    [eventType, orderId],
  );
  return rows[0]?.count ?? 0;
}

/** Waits `ms`: a moment for a second copy of something to show, had one been made. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
