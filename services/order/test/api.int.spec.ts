import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventOf, EventType } from '@msa/contracts';
import { startTelemetry } from '@msa/platform';
import { readOverdueSagas } from '../src/adapters/postgres/sagas.js';
import type { OrderBody } from './support/http.js';
import { orderOf, pageOf, problemOf } from './support/http.js';
import {
  type Charge,
  inventoryReserved,
  paymentCompleted,
  paymentFailed,
  paymentRefunded,
  productCreated,
  productUpdated,
  stockReleased,
  stockShort,
} from './support/events.js';
import { eventually, newCustomer, SERVER_TEST_TIMEOUT_MS, type TestOrderService, useOrderService } from './support/service.js';

const T = SERVER_TEST_TIMEOUT_MS;
const anInstant = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown;
const aTraceId = expect.stringMatching(/^[0-9a-f]{32}$/) as unknown;
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' }) as const;
const payment = { method: 'CARD', token: 'pm_card_visa' } as const;

/** A W3C traceparent of a fresh trace, and its trace id. */
function traceparent(): { header: string; traceId: string } {
  const traceId = randomUUID().replaceAll('-', '');
  return { header: `00-${traceId}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`, traceId };
}

/** The first event `service` published of `type` for `orderId`, once it has. */
function publishedEvent<T extends EventType>(service: TestOrderService, type: T, orderId: string, where: (event: EventOf<T>) => boolean = () => true): Promise<EventOf<T>> {
  return eventually(() => Promise.resolve(service.published().find((event): event is EventOf<T> => event.eventType === type && event.aggregateId === orderId && where(event as EventOf<T>))));
}

function publishedTypes(service: TestOrderService, orderId: string): string[] {
  return service.published().filter((event: DomainEvent) => event.aggregateId === orderId).map((event) => event.eventType);
}

let stopTelemetry: () => Promise<void>;
beforeAll(() => {
  // Spans without an exporter, so trace ids travel from HTTP and Kafka headers into the saga's steps.
  stopTelemetry = startTelemetry({ service: 'order' });
});
afterAll(() => stopTelemetry());

/** Lists `products` in the service's price list through the catalog's events, and waits until the consumer has applied them. */
async function listProducts(service: TestOrderService, products: readonly { productId: string; amountMinor: number }[]): Promise<void> {
  for (const { productId, amountMinor } of products) await service.publish(productCreated(productId, eur(amountMinor)));
  const { rows } = await eventually(async () => {
    const result = await service.pool.query('select product_id from order_price_list where product_id = any($1::uuid[]) and active', [products.map((p) => p.productId)]);
    return result.rowCount === products.length ? result : undefined;
  });
  expect(rows).toHaveLength(products.length);
}

describe('Order API and saga against PostgreSQL, Kafka and FerretDB', () => {
  const service = useOrderService();
  const kettle = randomUUID();
  const teapot = randomUUID();
  let customer: ReturnType<typeof newCustomer>;
  let asCustomer: string;

  beforeAll(async () => {
    customer = newCustomer();
    asCustomer = await service.bearer(customer);
    await listProducts(service, [
      { productId: kettle, amountMinor: 3_990 },
      { productId: teapot, amountMinor: 2_500 },
    ]);
  }, T);

  const place = (items: readonly { productId: string; quantity: number }[], key?: string, headers: Record<string, string> = {}) => {
    const req = service.api().post('/api/orders').set('authorization', asCustomer).set(headers);
    return (key === undefined ? req : req.set('idempotency-key', key)).send({ items, payment });
  };
  const detail = async (orderId: string): Promise<OrderBody> => orderOf(await service.api().get(`/api/orders/${orderId}`).set('authorization', asCustomer));
  const chargeOf = (order: OrderBody): Charge => ({ paymentId: randomUUID(), orderId: order.orderId, userId: order.userId, amount: order.total });
  const until = (orderId: string, check: (order: OrderBody) => boolean) =>
    eventually(async () => {
      const order = await detail(orderId);
      return check(order) ? order : undefined;
    });

  describe('the price list', () => {
    it('given ProductCreated then a price change and a deactivation, when ordering, then the new price applies and the inactive product is a 422', async () => {
      const mug = randomUUID();
      const cup = randomUUID();
      await service.publish(productCreated(mug, eur(1_200)));
      await service.publish(productCreated(cup, eur(900)));
      await service.publish(productUpdated(mug, 2, { price: { from: eur(1_200), to: eur(1_500) } }));
      await service.publish(productUpdated(cup, 2, { active: false }));

      const priced = await eventually(async () => {
        const res = await place([{ productId: mug, quantity: 2 }]);
        return res.status === 201 && orderOf(res).total.amountMinor === 3_000 ? orderOf(res) : undefined;
      });
      const inactive = await eventually(async () => {
        const res = await place([{ productId: mug, quantity: 1 }, { productId: cup, quantity: 1 }]);
        return res.status === 422 ? res : undefined;
      });

      expect(priced.items[0]).toMatchObject({ unitPrice: eur(1_500), lineTotal: eur(3_000) });
      expect(problemOf(inactive).errors).toEqual([{ field: 'body.items[1].productId', message: 'names a product that is not for sale' }]);
    }, T);

    it('given an update that overtakes its product’s creation, when both are applied, then the update’s price stands', async () => {
      const jug = randomUUID();
      await service.publish(productUpdated(jug, 2, { price: { from: eur(700), to: eur(800) } }));
      await service.publish(productCreated(jug, eur(700)));

      const listed = await eventually(async () => {
        const { rows } = await service.pool.query<{ amount_minor: string; active: boolean | null }>('select amount_minor, active from order_price_list where product_id = $1', [jug]);
        return rows[0]?.active === true ? rows[0] : undefined;
      });
      expect(listed.amount_minor).toBe('800');
    }, T);

    it('given a product the price list never heard of, when ordering it, then 422 names the line', async () => {
      const res = await place([{ productId: kettle, quantity: 1 }, { productId: randomUUID(), quantity: 1 }]);

      expect(res.status).toBe(422);
      expect(problemOf(res).errors).toEqual([{ field: 'body.items[1].productId', message: 'names no product for sale' }]);
    }, T);
  });

  describe('idempotent placement', () => {
    it('given an Idempotency-Key, when the request is retried, then the first order with the same body; another body with the key is a 422', async () => {
      const key = randomUUID();
      const first = await place([{ productId: kettle, quantity: 1 }], key);
      const retry = await place([{ productId: kettle, quantity: 1 }], key);
      const other = await place([{ productId: kettle, quantity: 2 }], key);

      expect([first.status, retry.status, other.status]).toEqual([201, 201, 422]);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(problemOf(other).errors).toEqual([{ field: 'headers.idempotency-key', message: 'was sent before with another request' }]);
    }, T);

    it('given five concurrent requests with one key, when they are placed, then one order exists and all five answer it', async () => {
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 5 }, () => place([{ productId: teapot, quantity: 3 }], key)));

      expect(answers.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((res) => orderOf(res).orderId)).size).toBe(1);
      const { rows } = await service.pool.query<{ count: string }>(
        "select count(*) from events where event_type = 'OrderCreated' and payload->>'userId' = $1 and payload->'items'->0->>'quantity' = '3'",
        [customer.userId],
      );
      expect(rows[0]?.count).toBe('1');
    }, T);
  });

  describe('the saga', () => {
    it('given a reservation then a charge, when they arrive, then OrderConfirmed and OrderCompleted are published and the history holds each step with its events and trace', async () => {
      const placedTrace = traceparent();
      const placed = orderOf(await place([{ productId: kettle, quantity: 2 }], undefined, { traceparent: placedTrace.header }));
      const created = await publishedEvent(service, 'OrderCreated', placed.orderId);
      const reservedTrace = traceparent();
      const reservation = inventoryReserved(placed.orderId, [{ productId: kettle, quantity: 2 }]);
      await service.publish(reservation, { traceparent: reservedTrace.header });

      const confirmed = await publishedEvent(service, 'OrderConfirmed', placed.orderId);
      expect(confirmed.payload).toEqual({ orderId: placed.orderId, userId: customer.userId, total: eur(7_980), payment });
      expect(confirmed.correlationId).toBe(created.correlationId);
      const charge = chargeOf(placed);
      const paid = paymentCompleted(charge);
      await service.publish(paid);

      const completed = await publishedEvent(service, 'OrderCompleted', placed.orderId);
      expect(completed.payload).toEqual({ orderId: placed.orderId, paymentId: charge.paymentId });
      const order = await until(placed.orderId, (o) => o.status === 'COMPLETED');
      expect(order.saga).toMatchObject({ state: 'COMPLETED' });
      expect(order.saga?.deadline).toBeUndefined();
      expect(order.saga?.steps).toEqual([
        { step: 'ORDER_PLACED', at: anInstant, eventIds: [created.eventId], traceId: placedTrace.traceId },
        { step: 'STOCK_RESERVED', at: anInstant, eventIds: [reservation.eventId, confirmed.eventId], traceId: reservedTrace.traceId },
        { step: 'PAYMENT_COMPLETED', at: anInstant, eventIds: [paid.eventId, completed.eventId], traceId: aTraceId },
      ]);
      const metrics = (await service.api().get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^order_saga_steps_total\{step="ORDER_PLACED"\} [1-9]/m);
      expect(metrics).toMatch(/^order_saga_steps_total\{step="PAYMENT_COMPLETED"\} [1-9]/m);
      expect(metrics).toMatch(/^order_saga_outcomes_total\{outcome="completed",reason="none"\} [1-9]/m);
      expect(metrics).toMatch(/^order_sagas_overdue \d+$/m);
    }, T);

    it('given a failed charge, when the release is in, then StockReleaseRequested PAYMENT_FAILED then OrderCancelled with the gateway’s reason', async () => {
      const placed = orderOf(await place([{ productId: teapot, quantity: 1 }]));
      await service.publish(inventoryReserved(placed.orderId, [{ productId: teapot, quantity: 1 }]));
      await publishedEvent(service, 'OrderConfirmed', placed.orderId);
      await service.publish(paymentFailed(chargeOf(placed)));

      const release = await publishedEvent(service, 'StockReleaseRequested', placed.orderId);
      expect(release.payload).toEqual({ orderId: placed.orderId, reason: 'PAYMENT_FAILED' });
      await service.publish(stockReleased(placed.orderId, [{ productId: teapot, quantity: 1 }]));

      const cancelled = await publishedEvent(service, 'OrderCancelled', placed.orderId);
      expect(cancelled.payload).toEqual({ orderId: placed.orderId, userId: customer.userId, reason: 'PAYMENT_FAILED', detail: 'The card was declined.' });
      expect((await until(placed.orderId, (o) => o.status === 'CANCELLED')).cancellation).toEqual({ reason: 'PAYMENT_FAILED', detail: 'The card was declined.' });
    }, T);

    it('given short stock, when the reservation is refused, then OrderCancelled INSUFFICIENT_STOCK and no release is asked for', async () => {
      const placed = orderOf(await place([{ productId: kettle, quantity: 9 }]));
      await service.publish(stockShort(placed.orderId, [{ productId: kettle, quantity: 9 }]));

      const cancelled = await publishedEvent(service, 'OrderCancelled', placed.orderId);
      expect(cancelled.payload.reason).toBe('INSUFFICIENT_STOCK');
      expect(publishedTypes(service, placed.orderId)).not.toContain('StockReleaseRequested');
    }, T);

    it('given a completed order, when its customer cancels, then RefundRequested and StockReleaseRequested; after the release OrderCancelled, and the refund is recorded', async () => {
      const placed = orderOf(await place([{ productId: kettle, quantity: 1 }]));
      await service.publish(inventoryReserved(placed.orderId, [{ productId: kettle, quantity: 1 }]));
      await publishedEvent(service, 'OrderConfirmed', placed.orderId);
      const charge = chargeOf(placed);
      await service.publish(paymentCompleted(charge));
      await until(placed.orderId, (o) => o.status === 'COMPLETED');

      const cancel = await service.api().post(`/api/orders/${placed.orderId}/cancel`).set('authorization', asCustomer);
      expect(cancel.status).toBe(202);
      expect(orderOf(cancel).saga?.state).toBe('RELEASING');
      const refund = await publishedEvent(service, 'RefundRequested', placed.orderId);
      expect(refund.payload).toEqual({ orderId: placed.orderId, userId: customer.userId, paymentId: charge.paymentId, reason: 'ORDER_CANCELLED' });
      expect((await publishedEvent(service, 'StockReleaseRequested', placed.orderId)).payload.reason).toBe('ORDER_CANCELLED');

      await service.publish(stockReleased(placed.orderId, [{ productId: kettle, quantity: 1 }], true));
      await service.publish(paymentRefunded(charge));
      expect((await publishedEvent(service, 'OrderCancelled', placed.orderId)).payload.reason).toBe('CUSTOMER_REQUEST');
      const order = await until(placed.orderId, (o) => o.saga?.steps.some((s) => s.step === 'PAYMENT_REFUNDED') === true);
      expect(order.status).toBe('CANCELLED');
      expect((await service.api().post(`/api/orders/${placed.orderId}/cancel`).set('authorization', asCustomer)).status).toBe(409);
    }, T);

    it('given orders the read model has applied, when listing, then newest first with a cursor, and a bad cursor is a 400 naming query.cursor', async () => {
      const lister = newCustomer();
      const asLister = await service.bearer(lister);
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const res = await service.api().post('/api/orders').set('authorization', asLister).send({ items: [{ productId: kettle, quantity: 1 }], payment });
        ids.push(orderOf(res).orderId);
      }
      const first = await eventually(async () => {
        const page = pageOf(await service.api().get('/api/orders?limit=2').set('authorization', asLister));
        return page.items.length === 2 && page.nextCursor !== undefined ? page : undefined;
      });
      const second = pageOf(await service.api().get(`/api/orders?limit=2&cursor=${first.nextCursor ?? ''}`).set('authorization', asLister));
      const bad = await service.api().get('/api/orders?cursor=nope').set('authorization', asLister);

      expect([...first.items, ...second.items].map((o) => o.orderId)).toEqual([...ids].reverse());
      expect(second.nextCursor).toBeUndefined();
      expect(bad.status).toBe(400);
      expect(problemOf(bad).errors).toEqual([{ field: 'query.cursor', message: 'is not a cursor this listing returned' }]);
    }, T);
  });
});

describe('Order saga deadlines against PostgreSQL and Kafka', () => {
  // The reservation deadline outlasts a restart (its drain included); the payment one keeps the late-charge spec short.
  const service = useOrderService({ ORDER_RESERVATION_TIMEOUT: '10s', ORDER_PAYMENT_TIMEOUT: '3s' });
  const kettle = randomUUID();
  let asCustomer: string;

  beforeAll(async () => {
    asCustomer = await service.bearer(newCustomer());
    await listProducts(service, [{ productId: kettle, amountMinor: 3_990 }]);
  }, T);

  const place = async () => orderOf(await service.api().post('/api/orders').set('authorization', asCustomer).send({ items: [{ productId: kettle, quantity: 1 }], payment }));

  it('given no reservation outcome, when the service restarts before the deadline, then the restarted one fires it: release DEADLINE_PASSED, then OrderCancelled RESERVATION_TIMEOUT', async () => {
    const placed = await place();
    await service.restart();
    const { rows } = await service.pool.query<{ deadline_at: Date }>('select deadline_at from order_sagas where order_id = $1', [placed.orderId]);
    expect(rows[0]?.deadline_at.getTime()).toBeGreaterThan(Date.now());

    const release = await publishedEvent(service, 'StockReleaseRequested', placed.orderId);
    expect(release.payload.reason).toBe('DEADLINE_PASSED');
    await service.publish(stockReleased(placed.orderId, []));

    const cancelled = await publishedEvent(service, 'OrderCancelled', placed.orderId);
    expect(cancelled.payload).toMatchObject({ reason: 'RESERVATION_TIMEOUT' });
    const order = orderOf(await service.api().get(`/api/orders/${placed.orderId}`).set('authorization', asCustomer));
    expect(order.saga?.steps.map((s) => s.step)).toEqual(['ORDER_PLACED', 'RESERVATION_DEADLINE_PASSED', 'STOCK_RELEASED']);
  }, T);

  it('given a placed order, when the saga table is read for overdue timers, then its deadline counts once it lies before the time asked about', async () => {
    const placed = await place();
    const { rows } = await service.pool.query<{ deadline_at: Date }>('select deadline_at from order_sagas where order_id = $1', [placed.orderId]);
    const deadline = rows[0]?.deadline_at ?? new Date(0);

    const before = await readOverdueSagas(service.pool, new Date(deadline.getTime() - 1_000));
    const after = await readOverdueSagas(service.pool, new Date(deadline.getTime() + 90_000));

    expect(after.count).toBeGreaterThan(before.count);
    expect(after.oldestSeconds).toBeGreaterThanOrEqual(90);
  }, T);

  it('given the payment deadline passed and the order was cancelled, when the charge arrives late, then RefundRequested LATE_PAYMENT', async () => {
    const placed = await place();
    await service.publish(inventoryReserved(placed.orderId, [{ productId: kettle, quantity: 1 }]));
    await publishedEvent(service, 'OrderConfirmed', placed.orderId);
    expect((await publishedEvent(service, 'StockReleaseRequested', placed.orderId)).payload.reason).toBe('DEADLINE_PASSED');
    await service.publish(stockReleased(placed.orderId, [{ productId: kettle, quantity: 1 }]));
    expect((await publishedEvent(service, 'OrderCancelled', placed.orderId)).payload.reason).toBe('PAYMENT_TIMEOUT');

    const charge = { paymentId: randomUUID(), orderId: placed.orderId, userId: placed.userId, amount: placed.total };
    await service.publish(paymentCompleted(charge));

    const refund = await publishedEvent(service, 'RefundRequested', placed.orderId);
    expect(refund.payload).toEqual({ orderId: placed.orderId, userId: placed.userId, paymentId: charge.paymentId, reason: 'LATE_PAYMENT' });
    expect(publishedTypes(service, placed.orderId)).not.toContain('OrderCompleted');
  }, T);

  it('given two replicas, when the reservation deadlines of several orders fall due, then each fires once', async () => {
    await service.startReplica();
    const placed = await Promise.all(Array.from({ length: 6 }, () => place()));

    for (const { orderId } of placed) expect((await publishedEvent(service, 'StockReleaseRequested', orderId)).payload.reason).toBe('DEADLINE_PASSED');
    // Past the poll intervals of both replicas again: a second firing would have appended by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    for (const { orderId } of placed) {
      const { events } = await service.store.readStream(`order-${orderId}`);
      expect(events.map((event) => event.eventType)).toEqual(['OrderCreated', 'StockReleaseRequested']);
      const order = orderOf(await service.api().get(`/api/orders/${orderId}`).set('authorization', asCustomer));
      expect(order.saga?.steps.map((s) => s.step)).toEqual(['ORDER_PLACED', 'RESERVATION_DEADLINE_PASSED']);
    }
  }, T);
});
