import { randomUUID } from 'node:crypto';
import type { EventType } from '@msa/contracts';
import { mongoReadModel, rebuildReadModels, type RebuildResult } from '@msa/platform';
import { orderService } from '../src/app.js';
import { type OrderDocument, orderReadModel } from '../src/adapters/mongo/order-read-model.js';
import { inventoryReserved, paymentCompleted, stockReleased, stockShort, productCreated } from './support/events.js';
import { orderOf, pageOf, type OrderBody } from './support/http.js';
import { eventually, newCustomer, SERVER_TEST_TIMEOUT_MS, useOrderService } from './support/service.js';

const T = SERVER_TEST_TIMEOUT_MS;
const payment = { method: 'CARD', token: 'pm_card_visa' } as const;
const HANDLED: readonly string[] = orderReadModel.handles;

describe('Orders read model: projection from Kafka and rebuild from the event store', () => {
  const service = useOrderService();
  const kettle = randomUUID();
  let asCustomer: string;

  beforeAll(async () => {
    asCustomer = await service.bearer(newCustomer());
    await service.publish(productCreated(kettle, { amountMinor: 3_990, currency: 'EUR' }));
    await eventually(async () => ((await service.pool.query('select 1 from order_price_list where product_id = $1', [kettle])).rowCount === 1 ? true : undefined));
  }, T);

  const place = async (): Promise<OrderBody> =>
    orderOf(await service.api().post('/api/orders').set('authorization', asCustomer).send({ items: [{ productId: kettle, quantity: 1 }], payment }));
  const lines = [{ productId: kettle, quantity: 1 }];
  const charge = (order: OrderBody) => ({ paymentId: randomUUID(), orderId: order.orderId, userId: order.userId, amount: order.total });
  const storedTypes = async (orderId: string) => (await service.store.readStream(`order-${orderId}`)).events.map((event) => event.eventType);
  const until = async (orderId: string, type: EventType) => eventually(async () => ((await storedTypes(orderId)).includes(type) ? true : undefined));

  /** The version of the newest event of each order the read model handles: the saga's requests between them are skipped. */
  async function handledVersions(): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    for (const { event } of await service.store.readAll(0, 10_000)) if (HANDLED.includes(event.eventType)) versions.set(event.aggregateId, event.version);
    return versions;
  }

  async function documents(): Promise<OrderDocument[]> {
    return (await mongoReadModel(service.mongo, orderReadModel).collection()).find({}).sort({ _id: 1 }).toArray();
  }

  it('given orders placed, confirmed, completed, cancelled and refunded, when the consumer has run, then each document is at its newest handled event', async () => {
    await place();
    const completed = await place();
    const cancelledAfterPaying = await place();
    const short = await place();
    for (const order of [completed, cancelledAfterPaying]) {
      await service.publish(inventoryReserved(order.orderId, lines));
      await until(order.orderId, 'OrderConfirmed');
      await service.publish(paymentCompleted(charge(order)));
      await until(order.orderId, 'OrderCompleted');
    }
    expect((await service.api().post(`/api/orders/${cancelledAfterPaying.orderId}/cancel`).set('authorization', asCustomer)).status).toBe(202);
    await service.publish(stockReleased(cancelledAfterPaying.orderId, lines, true));
    await service.publish(stockShort(short.orderId, lines));
    await until(short.orderId, 'OrderCancelled');
    // A charge after the cancellation: the stream ends with RefundRequested, which the read model skips.
    await service.publish(paymentCompleted(charge(short)));
    await until(short.orderId, 'RefundRequested');
    await until(cancelledAfterPaying.orderId, 'OrderCancelled');

    const caughtUp = await eventually(async () => {
      const versions = await handledVersions();
      const docs = await documents();
      return docs.length === versions.size && docs.every((doc) => versions.get(doc._id) === doc.version) ? docs : undefined;
    });

    expect(caughtUp.map((doc) => doc.status).sort()).toEqual(['CANCELLED', 'CANCELLED', 'COMPLETED', 'CREATED']);
    expect(await storedTypes(cancelledAfterPaying.orderId)).toEqual([
      'OrderCreated',
      'OrderConfirmed',
      'OrderCompleted',
      'RefundRequested',
      'StockReleaseRequested',
      'OrderCancelled',
    ]);
    expect(caughtUp.find((doc) => doc._id === cancelledAfterPaying.orderId)).toMatchObject({ version: 6, status: 'CANCELLED', cancellation: { reason: 'CUSTOMER_REQUEST' } });
  }, T);

  it('given a caught-up read model, when it is rebuilt from the event history, then the rebuilt collection equals it and serves', async () => {
    const before = await documents();

    const progress: string[] = [];
    const results = (await rebuildReadModels(orderService(), service.config, {
      logger: service.logger,
      progress: (line) => progress.push(line),
      retireAfterMs: 100,
    })) as RebuildResult[];

    expect(results.map((result) => result.collection)).toEqual([expect.stringMatching(/^orders_rebuilt_/) as unknown]);
    expect(progress).toContainEqual(expect.stringMatching(/^orders: done, events applied: \d+; orders_rebuilt_\w+ serves, orders dropped$/) as unknown);
    expect(await documents()).toEqual(before);
  }, T);

  it('given a rebuilt read model, when an order is placed, then the live projection writes to the rebuilt collection and the listing shows it', async () => {
    const placed = await place();

    const listed = await eventually(async () => {
      const page = pageOf(await service.api().get('/api/orders?limit=1').set('authorization', asCustomer));
      return page.items[0]?.orderId === placed.orderId ? page : undefined;
    });

    expect(listed.items[0]).toMatchObject({ status: 'CREATED', version: 1 });
    const collections = (await service.mongo.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(collections).not.toContain('orders');
  }, T);
});
