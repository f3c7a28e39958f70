import type { EventOf } from '@msa/contracts';
import { reservationStream } from '../src/domain/reservation.js';
import { orderCreated, stockReleaseRequested } from './support/events.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, startInventoryService, type TestInventoryService } from './support/service.js';
import { eventsOf, openProducts, restock, stockOf } from './support/stock-api.js';

type Reserved = EventOf<'InventoryReserved'>;

// The fault suite's control build must be able to fail it: with NAIVE_DUAL_WRITE the service
// reserves as the seed sketched, line by line, and these specs pin that it really does.
describe('Inventory service in the control build (NAIVE_DUAL_WRITE), reserving line by line as the seed did', () => {
  let service: TestInventoryService;

  beforeAll(async () => {
    service = await startInventoryService({ NAIVE_DUAL_WRITE: 'true' });
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await service.close();
  }, SERVER_TEST_TIMEOUT_MS);

  it(
    'given one product in stock and one without, when an order of both is created and then released, then each line got its own answer and the line in stock stays held',
    async () => {
      const [inStock = '', soldOut = ''] = await openProducts(service, 2);
      await restock(service, inStock, 5);
      const order = orderCreated([
        { productId: inStock, quantity: 1 },
        { productId: soldOut, quantity: 1 },
      ]);

      await service.publish(order);
      const answers = await eventually(async () => {
        const events = await eventsOf(service, reservationStream(order.payload.orderId));
        const reserved = events.filter((e): e is Reserved => e.eventType === 'InventoryReserved');
        return reserved.length === 2 ? reserved : undefined;
      }, 60_000);
      await service.publish(stockReleaseRequested(order.payload.orderId, 3));
      await eventually(async () => {
        const events = await eventsOf(service, reservationStream(order.payload.orderId));
        return events.some((e) => e.eventType === 'StockReleased') ? true : undefined;
      }, 60_000);

      expect(answers.map((e) => [e.payload.items, e.payload.status])).toEqual([
        [[{ productId: inStock, quantity: 1 }], 'SUCCESS'],
        [[{ productId: soldOut, quantity: 1 }], 'INSUFFICIENT_STOCK'],
      ]);
      expect((await stockOf(service, inStock)).body).toMatchObject({ available: 4, reserved: 1 });
    },
    SERVER_TEST_TIMEOUT_MS,
  );
});
