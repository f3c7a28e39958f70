import { randomUUID } from 'node:crypto';
import type { EventOf } from '@msa/contracts';
import { withTransaction } from '@msa/platform';
import { createInventoryWriteSide } from '../src/adapters/postgres/inventory-write-side.js';
import type { StockLine } from '../src/domain/reservation.js';
import { reservationStream } from '../src/domain/reservation.js';
import { stockStream } from '../src/domain/stock.js';
import type { StockView } from '../src/ports.js';
import { orderCompleted, orderCreated, stockReleaseRequested } from './support/events.js';
import { availableHistory, movesByProduct } from './support/history.js';
import { eventsOf as eventsOfIn, openProducts as openProductsIn, restock as restockIn, stockOf as stockOfIn } from './support/stock-api.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, startInventoryService, type TestInventoryService } from './support/service.js';

type Reserved = EventOf<'InventoryReserved'>;

describe('Inventory service against PostgreSQL and Kafka, two replicas sharing the reservation group', () => {
  let service: TestInventoryService;

  beforeAll(async () => {
    service = await startInventoryService();
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await service.close();
  }, SERVER_TEST_TIMEOUT_MS);

  const stockOf = (productId: string) => stockOfIn(service, productId);
  const eventsOf = (streamId: string) => eventsOfIn(service, streamId);
  const openProducts = (count: number) => openProductsIn(service, count);
  const restock = (productId: string, quantity: number) => restockIn(service, productId, quantity);

  /** The reservation outcome of each order, once every one has one. */
  async function outcomes(orderIds: readonly string[]): Promise<Reserved[]> {
    return eventually(async () => {
      const outcomeOf = async (orderId: string) =>
        (await eventsOf(reservationStream(orderId))).find((e): e is Reserved => e.eventType === 'InventoryReserved');
      const found = await Promise.all(orderIds.map(outcomeOf));
      const all = found.filter((event): event is Reserved => event !== undefined);
      return all.length === orderIds.length ? all : undefined;
    }, 90_000);
  }

  /** No product's available units went below zero, replayed by position or by transaction id, and both see each product's moves in one order. */
  async function expectNeverNegative(): Promise<void> {
    for (const order of ['position', 'transaction'] as const) {
      const { lowest } = await availableHistory(service.pool, order);
      for (const [productId, low] of lowest) expect([order, productId, low]).toEqual([order, productId, 0]);
    }
    expect(await movesByProduct(service.pool, 'transaction')).toEqual(await movesByProduct(service.pool, 'position'));
  }

  it('given a started service, when readiness is asked, then PostgreSQL and the reservation group are up', async () => {
    const ready = await service.api().get('/health/ready');

    expect(ready.status).toBe(200);
  });

  it('given a created product, when its stock is read, then the record is open with no units; an unknown product is a 404 problem', async () => {
    const [productId = ''] = await openProducts(1);

    expect(await stockOf(productId)).toEqual({
      status: 200,
      body: { productId, available: 0, reserved: 0, sold: 0, received: 0, lowWaterMark: 0, version: 1 },
    });
    const unknown = await service.api().get(`/api/inventory/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('given an admin restock, then StockReceived is on the product stream and the admin list shows it', async () => {
    const [productId = '', other = ''] = await openProducts(2);

    const after = await restock(productId, 7);

    expect(after).toMatchObject({ productId, available: 7, received: 7, version: 2 });
    const stream = await eventsOf(stockStream(productId));
    expect(stream.map((e) => [e.eventType, e.payload])).toEqual([['StockReceived', { productId, quantity: 7, available: 7 }]]);
    const list = await service
      .api()
      .get('/api/inventory')
      .query({ productIds: `${productId},${other}` })
      .set('authorization', await service.asAdmin());
    expect((list.body as { items: StockView[] }).items.map((s) => [s.productId, s.available]).sort()).toEqual(
      [
        [productId, 7],
        [other, 0],
      ].sort(),
    );
  });

  it(
    'given 10 units, when 50 orders of one unit arrive at once, then exactly 10 succeed, 40 are short, available is 0 and never went below it',
    async () => {
      const [productId = ''] = await openProducts(1);
      await restock(productId, 10);
      const orders = Array.from({ length: 50 }, () => orderCreated([{ productId, quantity: 1 }]));

      await service.publish(...orders);
      const results = await outcomes(orders.map((o) => o.payload.orderId));

      expect(results.filter((r) => r.payload.status === 'SUCCESS')).toHaveLength(10);
      const short = results.filter((r) => r.payload.status === 'INSUFFICIENT_STOCK');
      expect(short).toHaveLength(40);
      for (const r of short) expect(r.payload).toMatchObject({ shortages: [{ productId, requested: 1, available: 0 }] });
      expect((await stockOf(productId)).body).toMatchObject({ available: 0, reserved: 10, sold: 0, received: 10 });
      await expectNeverNegative();
      expect((await availableHistory(service.pool)).final.get(productId)).toBe(0);
      const depleted = (await eventsOf(stockStream(productId))).filter((e) => e.eventType === 'StockDepleted');
      expect(depleted.map((e) => e.payload)).toEqual([{ productId, available: 0, lowWaterMark: 0 }]);
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given two products, when orders naming both in opposite line orders arrive at once, then none deadlocks and each holds both or neither',
    async () => {
      const [a = '', b = ''] = await openProducts(2);
      await restock(a, 5);
      await restock(b, 5);
      const orders = Array.from({ length: 12 }, (_, index) =>
        orderCreated(
          index % 2 === 0
            ? [
                { productId: a, quantity: 1 },
                { productId: b, quantity: 1 },
              ]
            : [
                { productId: b, quantity: 1 },
                { productId: a, quantity: 1 },
              ],
        ),
      );

      await service.publish(...orders);
      const results = await outcomes(orders.map((o) => o.payload.orderId));

      expect(results.filter((r) => r.payload.status === 'SUCCESS')).toHaveLength(5);
      expect((await stockOf(a)).body).toMatchObject({ available: 0, reserved: 5 });
      expect((await stockOf(b)).body).toMatchObject({ available: 0, reserved: 5 });
      await expectNeverNegative();
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given two products, when 30 reservations in opposite line orders run in parallel transactions of another process, ' +
      'then none deadlocks or holds one product without the other',
    async () => {
      const [a = '', b = ''] = await openProducts(2);
      await restock(a, 10);
      await restock(b, 10);
      const writeSide = createInventoryWriteSide({ pool: service.pool, store: service.store, lowWaterMark: 0 });
      const lines = (first: string, second: string): StockLine[] => [
        { productId: first, quantity: 1 },
        { productId: second, quantity: 1 },
      ];
      const orderIds = Array.from({ length: 30 }, () => randomUUID());

      await Promise.all(
        orderIds.map((orderId, index) =>
          withTransaction(service.pool, (tx) => writeSide.reserve(orderId, index % 2 === 0 ? lines(a, b) : lines(b, a), { tx, causationId: randomUUID() })),
        ),
      );

      const results = await outcomes(orderIds);
      expect(results.filter((r) => r.payload.status === 'SUCCESS')).toHaveLength(10);
      expect((await stockOf(a)).body).toMatchObject({ available: 0, reserved: 10 });
      expect((await stockOf(b)).body).toMatchObject({ available: 0, reserved: 10 });
      await expectNeverNegative();
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given orders of two products racing orders and restocks of the second alone in parallel transactions, ' +
      'then the global log sees every product moved in the order its lock applied the moves',
    async () => {
      const [a = '', b = ''] = await openProducts(2);
      await restock(a, 40);
      await restock(b, 5);
      const writeSide = createInventoryWriteSide({ pool: service.pool, store: service.store, lowWaterMark: 0 });
      const both: StockLine[] = [
        { productId: a, quantity: 1 },
        { productId: b, quantity: 1 },
      ];
      const work = Array.from({ length: 40 }, (_, index) => {
        const orderId = randomUUID();
        if (index % 4 === 3) return () => writeSide.restock(b, { quantity: 1 }, { causationId: randomUUID() });
        const lines = index % 4 === 0 ? both : [{ productId: b, quantity: 1 }];
        return () => withTransaction(service.pool, (tx) => writeSide.reserve(orderId, lines, { tx, causationId: randomUUID() }));
      });

      await Promise.all(work.map((run) => run()));

      await expectNeverNegative();
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given a reserved order, when its OrderCreated is delivered again and a copy under a new event id follows, then it is reserved once',
    async () => {
      const [productId = ''] = await openProducts(1);
      await restock(productId, 5);
      const order = orderCreated([{ productId, quantity: 2 }]);
      await service.publish(order);
      await outcomes([order.payload.orderId]);

      await service.publish(order, { ...order, eventId: randomUUID() });
      await service.drained('order.lifecycle.created');

      expect((await eventsOf(reservationStream(order.payload.orderId))).map((e) => e.eventType)).toEqual(['InventoryReserved']);
      expect((await stockOf(productId)).body).toMatchObject({ available: 3, reserved: 2 });
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given a release requested before the order reached inventory, when the order arrives, then nothing is reserved and nothing appended for it',
    async () => {
      const [productId = ''] = await openProducts(1);
      await restock(productId, 5);
      const order = orderCreated([{ productId, quantity: 2 }]);

      await service.publish(stockReleaseRequested(order.payload.orderId));
      const released = await eventually(async () => (await eventsOf(reservationStream(order.payload.orderId)))[0]);
      expect([released.eventType, released.payload]).toEqual(['StockReleased', { orderId: order.payload.orderId, items: [], fromSold: false }]);
      await service.publish(order);
      await service.drained('order.lifecycle.created');

      expect((await eventsOf(reservationStream(order.payload.orderId))).map((e) => e.eventType)).toEqual(['StockReleased']);
      expect((await stockOf(productId)).body).toMatchObject({ available: 5, reserved: 0 });
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given a held order, when its release is asked twice, then its units return once and the second answer releases nothing',
    async () => {
      const [productId = ''] = await openProducts(1);
      await restock(productId, 5);
      const order = orderCreated([{ productId, quantity: 5 }]);
      const { orderId } = order.payload;
      await service.publish(order);
      await outcomes([orderId]);
      expect((await stockOf(productId)).body).toMatchObject({ available: 0, reserved: 5 });

      await service.publish(stockReleaseRequested(orderId));
      await eventually(async () => ((await eventsOf(reservationStream(orderId))).length === 2 ? true : undefined));
      await service.publish(stockReleaseRequested(orderId, 5));
      const stream = await eventually(async () => {
        const events = await eventsOf(reservationStream(orderId));
        return events.length === 3 ? events : undefined;
      });

      expect(stream.map((e) => [e.eventType, 'status' in e.payload ? e.payload.status : 'items' in e.payload ? e.payload.items : undefined])).toEqual([
        ['InventoryReserved', 'SUCCESS'],
        ['StockReleased', [{ productId, quantity: 5 }]],
        ['StockReleased', []],
      ]);
      expect((await stockOf(productId)).body).toMatchObject({ available: 5, reserved: 0 });
      await expectNeverNegative();
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given a held order, when it completes and is then released, then its units are sold once and return from sold',
    async () => {
      const [productId = ''] = await openProducts(1);
      await restock(productId, 4);
      const order = orderCreated([{ productId, quantity: 3 }]);
      const { orderId } = order.payload;
      await service.publish(order);
      await outcomes([orderId]);

      const completed = orderCompleted(orderId);
      await service.publish(completed, { ...completed, eventId: randomUUID() });
      await eventually(async () => ((await eventsOf(reservationStream(orderId))).some((e) => e.eventType === 'StockCommitted') ? true : undefined));
      await service.drained('order.lifecycle.completed');
      expect((await stockOf(productId)).body).toMatchObject({ available: 1, reserved: 0, sold: 3 });

      await service.publish(stockReleaseRequested(orderId, 6));
      const released = await eventually(async () => (await eventsOf(reservationStream(orderId))).find((e) => e.eventType === 'StockReleased'));

      expect(released.payload).toEqual({ orderId, items: [{ productId, quantity: 3 }], fromSold: true });
      expect((await eventsOf(reservationStream(orderId))).map((e) => e.eventType)).toEqual(['InventoryReserved', 'StockCommitted', 'StockReleased']);
      expect((await stockOf(productId)).body).toMatchObject({ available: 4, reserved: 0, sold: 0 });
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given a product drained to the mark, when it stays there, then one alert; when a release lifts it above and it falls again, then a second',
    async () => {
      const [productId = ''] = await openProducts(1);
      await restock(productId, 2);
      const depletions = async () => (await eventsOf(stockStream(productId))).filter((e) => e.eventType === 'StockDepleted').map((e) => e.payload);
      const first = orderCreated([{ productId, quantity: 2 }]);
      await service.publish(first);
      await outcomes([first.payload.orderId]);
      const short = orderCreated([{ productId, quantity: 1 }]);
      await service.publish(short);
      await outcomes([short.payload.orderId]);
      expect(await depletions()).toEqual([{ productId, available: 0, lowWaterMark: 0 }]);

      await service.publish(stockReleaseRequested(first.payload.orderId));
      await eventually(async () => ((await stockOf(productId)).body.available === 2 ? true : undefined));
      const [third, fourth] = [orderCreated([{ productId, quantity: 1 }]), orderCreated([{ productId, quantity: 1 }])];
      await service.publish(third);
      await outcomes([third.payload.orderId]);
      expect(await depletions()).toHaveLength(1);
      await service.publish(fourth);
      await outcomes([fourth.payload.orderId]);

      expect(await depletions()).toEqual([
        { productId, available: 0, lowWaterMark: 0 },
        { productId, available: 0, lowWaterMark: 0 },
      ]);
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'given the reservations above, when the relay has run, then every InventoryReserved appended was published to its topic',
    async () => {
      const { rows } = await service.pool.query<{ count: string }>("select count(*) from events where event_type = 'InventoryReserved'");

      await eventually(async () => ((await service.published('inventory.stock.reserved')) === Number(rows[0]?.count) ? true : undefined), 30_000);
    },
    SERVER_TEST_TIMEOUT_MS,
  );
});
