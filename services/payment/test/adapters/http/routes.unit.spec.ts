import type { Problem } from '@msa/platform';
import { createTestAuth, routeTestApp, type TestAuth } from '@msa/platform/testing';
import request from 'supertest';
import { paymentRoutes } from '../../../src/adapters/http/routes.js';
import type { ParkedCalls, PaymentReads, PaymentView } from '../../../src/ports.js';

const CUSTOMER = { userId: '22222222-2222-4222-8222-222222222222', email: 'minji@example.com', roles: ['customer'] } as const;
const OTHER = { userId: '99999999-9999-4999-8999-999999999999', email: 'jiwoo@example.com', roles: ['customer'] } as const;
const ADMIN = { userId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', email: 'ops@example.com', roles: ['admin'] } as const;

const ORDER = '7c1e9a2b-3d4f-4a5b-8c6d-9e0f1a2b3c4d';
const UNCHARGED_ORDER = '8d2f0b3c-4e5a-4b6c-9d7e-0f1a2b3c4d5e';

const refunded: PaymentView = {
  paymentId: '2b6f0c4e-8d1a-5e3b-9c7f-1a2b3c4d5e6f',
  orderId: ORDER,
  userId: CUSTOMER.userId,
  status: 'REFUNDED',
  amount: { amountMinor: 91_800, currency: 'KRW' },
  method: 'CARD',
  gatewayReference: 'sandbox_ch_1',
  refund: { reference: 'sandbox_re_1', at: new Date('2026-03-01T09:05:00.000Z') },
  attempts: 2,
  createdAt: new Date('2026-03-01T09:00:00.000Z'),
  updatedAt: new Date('2026-03-01T09:05:00.000Z'),
};

/** The payments in an array, found by order as the read model finds them. */
function fakePayments(payments: readonly PaymentView[]): PaymentReads {
  return { byOrder: (orderId) => Promise.resolve(payments.filter((payment) => payment.orderId === orderId)) };
}

/** One parked charge, of `PARKED_PAYMENT`, re-armed at most once. */
const PARKED_PAYMENT = '3c7a1d5f-9e2b-5f4c-8d0a-2b3c4d5e6f70';
function fakeParked(): ParkedCalls & { readonly rearmed: string[] } {
  const rearmed: string[] = [];
  return {
    rearmed,
    rearm(paymentId) {
      if (paymentId !== PARKED_PAYMENT || rearmed.includes(paymentId)) return Promise.resolve([]);
      rearmed.push(paymentId);
      return Promise.resolve(['charge']);
    },
  };
}

const problemOf = (res: request.Response): Problem => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Problem;
};

describe('payment routes', () => {
  let auth: TestAuth;
  let api: ReturnType<typeof request>;
  let parked: ReturnType<typeof fakeParked>;
  beforeAll(async () => {
    auth = await createTestAuth();
    parked = fakeParked();
    const routes = paymentRoutes({ payments: fakePayments([refunded]), parked, authenticated: auth.requireAuth(), adminOnly: auth.requireAuth(['admin']) });
    api = request(routeTestApp({ routes }).app);
  });

  it("given the order's owner, when asking for its payments, then the payment with its refund, times as ISO strings", async () => {
    const res = await api.get('/api/payments').query({ orderId: ORDER }).set('authorization', await auth.bearer(CUSTOMER));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          paymentId: refunded.paymentId,
          orderId: ORDER,
          userId: CUSTOMER.userId,
          status: 'REFUNDED',
          amount: { amountMinor: 91_800, currency: 'KRW' },
          method: 'CARD',
          gatewayReference: 'sandbox_ch_1',
          refund: { reference: 'sandbox_re_1', at: '2026-03-01T09:05:00.000Z' },
          attempts: 2,
          createdAt: '2026-03-01T09:00:00.000Z',
          updatedAt: '2026-03-01T09:05:00.000Z',
        },
      ],
    });
  });

  it('given an admin, when asking for any order, then its payments', async () => {
    const res = await api.get('/api/payments').query({ orderId: ORDER }).set('authorization', await auth.bearer(ADMIN));

    expect(res.status).toBe(200);
    expect((res.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it("given another customer, when asking for the order's payments, then 403 problem+json", async () => {
    const res = await api.get('/api/payments').query({ orderId: ORDER }).set('authorization', await auth.bearer(OTHER));

    expect(res.status).toBe(403);
    expect(problemOf(res)).toMatchObject({ status: 403, detail: "only the order's owner or an admin may read its payments" });
  });

  it('given an order not charged yet, when asking for its payments, then none', async () => {
    const res = await api.get('/api/payments').query({ orderId: UNCHARGED_ORDER }).set('authorization', await auth.bearer(OTHER));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it('given no orderId, when asking for payments, then 400 naming query.orderId', async () => {
    const res = await api.get('/api/payments').set('authorization', await auth.bearer(CUSTOMER));

    expect(res.status).toBe(400);
    expect(problemOf(res).errors?.map((error) => error.field)).toEqual(['query.orderId']);
  });

  it('given an orderId that is no UUID, when asking for payments, then 400 naming query.orderId', async () => {
    const res = await api.get('/api/payments').query({ orderId: 'order-1' }).set('authorization', await auth.bearer(CUSTOMER));

    expect(res.status).toBe(400);
    expect(problemOf(res).errors?.map((error) => error.field)).toEqual(['query.orderId']);
  });

  it('given no token, when asking for payments, then 401', async () => {
    const res = await api.get('/api/payments').query({ orderId: ORDER });

    expect(res.status).toBe(401);
  });

  it("given a customer, when re-arming a payment's parked call, then 403 and nothing is re-armed", async () => {
    const res = await api.post(`/api/payments/${PARKED_PAYMENT}/retry`).set('authorization', await auth.bearer(CUSTOMER));

    expect(res.status).toBe(403);
    expect(parked.rearmed).toEqual([]);
  });

  it('given an admin and a parked charge, when re-arming it, then 202 naming the charge; again, then 409 since nothing is parked', async () => {
    const bearer = await auth.bearer(ADMIN);

    const first = await api.post(`/api/payments/${PARKED_PAYMENT}/retry`).set('authorization', bearer);
    const again = await api.post(`/api/payments/${PARKED_PAYMENT}/retry`).set('authorization', bearer);

    expect(first.status).toBe(202);
    expect(first.body).toEqual({ paymentId: PARKED_PAYMENT, retrying: ['charge'] });
    expect(again.status).toBe(409);
    expect(problemOf(again)).toMatchObject({ detail: `payment ${PARKED_PAYMENT} has no parked gateway call` });
  });

  it('given a payment id that is no UUID, when re-arming it, then 400 naming params.paymentId', async () => {
    const res = await api.post('/api/payments/p-1/retry').set('authorization', await auth.bearer(ADMIN));

    expect(res.status).toBe(400);
    expect(problemOf(res).errors?.map((error) => error.field)).toEqual(['params.paymentId']);
  });
});
