import { randomUUID } from 'node:crypto';
import { eventually, mailpitClient } from '@msa/local';
import { startDuplicator, type Duplicator } from './support/duplicator.js';
import { FLOW_TIMEOUT_MS, PLATFORM_TIMEOUT_MS, startPlatform, type TestPlatform } from './support/platform.js';
import { orderOf, pause, paymentEvents, placeOrder, sandboxCharges, signUp, stockedProduct, stockOf, terminalOrder, type Customer } from './support/shop.js';

const mailpit = mailpitClient();

/** How many messages of `topic` the platform's `group` has committed. */
async function consumed(platform: TestPlatform, group: string, topic: string): Promise<number> {
  const [offsets] = await platform.admin.fetchOffsets({ groupId: `${group}.${platform.namespace}`, topics: [`${topic}.${platform.namespace}`] });
  return (offsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
}

// Kafka delivers at least once: every message of the flow arrives a second time, later, on the real
// broker. The inboxes, the saga state and the gateway's idempotency key must make that change nothing.
describe('every message of the saga delivered twice, end to end', () => {
  let platform: TestPlatform;
  let duplicator: Duplicator;
  let admin: Customer;

  beforeAll(async () => {
    platform = await startPlatform();
    duplicator = await startDuplicator(platform.kafka, platform.namespace);
    admin = await signUp(platform, platform.adminEmail, 'Admin');
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await duplicator.stop();
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  it(
    'given every message sent twice, when an order is paid with a card that succeeds, then it completes once: one unit sold, one charge, one receipt',
    async () => {
      const productId = await stockedProduct(platform, admin, 3);
      const customer = await signUp(platform, `lin-${randomUUID()}@e2e.example`, 'Lin');

      const placed = await placeOrder(platform, customer, orderOf(productId, 1));
      const order = await terminalOrder(platform, customer, placed.orderId);
      // The copies of the last steps trail the originals: wait until each step's copy went out.
      for (const topic of ['order.lifecycle.created', 'inventory.stock.reserved', 'order.lifecycle.confirmed', 'payment.transaction.completed', 'order.lifecycle.completed', 'inventory.stock.committed']) {
        await eventually(() => Promise.resolve(duplicator.copies(topic) > 0 ? true : undefined), 30_000);
      }
      await pause(3_000);

      // The consumers did get both copies: the payment processor is past the confirmation's copy too.
      const confirmations = await eventually(async () => {
        const count = await consumed(platform, 'payment.processor', 'order.lifecycle.confirmed');
        return count >= 2 ? count : undefined;
      });
      expect(confirmations).toBe(2);
      expect(order.status).toBe('COMPLETED');
      expect(await stockOf(platform, productId)).toMatchObject({ available: 2, reserved: 0, sold: 1, received: 3 });
      expect(await sandboxCharges(platform, placed.orderId)).toBe(1);
      expect(await paymentEvents(platform, 'PaymentCompleted', placed.orderId)).toBe(1);
      expect(await paymentEvents(platform, 'PaymentInitiated', placed.orderId)).toBe(1);
      const { rows } = await platform.pools.order.query<{ event_type: string }>(
        "select event_type from events where aggregate_id = $1 and aggregate_type = 'Order' order by version",
        [placed.orderId],
      );
      expect(rows.map(({ event_type: type }) => type)).toEqual(['OrderCreated', 'OrderConfirmed', 'OrderCompleted']);
      const receipts = (await mailpit.messages({ to: customer.email })).filter((mail) => mail.subject === 'Your payment receipt');
      expect(receipts).toHaveLength(1);
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    'given every message sent twice, when an order is declined, then it is cancelled once with its unit released once, no charge and one cancellation mail',
    async () => {
      const productId = await stockedProduct(platform, admin, 3);
      const customer = await signUp(platform, `mae-${randomUUID()}@e2e.example`, 'Mae');

      const placed = await placeOrder(platform, customer, orderOf(productId, 1, 'pm_card_chargeDeclined'));
      const order = await terminalOrder(platform, customer, placed.orderId);
      for (const topic of ['payment.transaction.failed', 'inventory.stock.release.requested', 'inventory.stock.released', 'order.lifecycle.cancelled']) {
        await eventually(() => Promise.resolve(duplicator.copies(topic) > 0 ? true : undefined), 30_000);
      }
      await pause(3_000);

      expect(order.status).toBe('CANCELLED');
      expect(order.cancellation?.reason).toBe('PAYMENT_FAILED');
      // A second release would have given the unit back twice: available 4.
      expect(await stockOf(platform, productId)).toMatchObject({ available: 3, reserved: 0, sold: 0, received: 3 });
      expect(await sandboxCharges(platform, placed.orderId)).toBe(0);
      expect(await paymentEvents(platform, 'PaymentFailed', placed.orderId)).toBe(1);
      const cancellations = (await mailpit.messages({ to: customer.email })).filter((mail) => mail.subject === 'Your order was cancelled');
      expect(cancellations).toHaveLength(1);
    },
    FLOW_TIMEOUT_MS,
  );
});
