import { randomUUID } from 'node:crypto';
import { eventually, mailpitClient } from '@msa/local';
import { FLOW_TIMEOUT_MS, PLATFORM_TIMEOUT_MS, startPlatform, type TestPlatform } from './support/platform.js';
import {
  orderOf,
  pause,
  paymentsOf,
  placeOrder,
  sandboxCharges,
  signUp,
  stockedProduct,
  stockOf,
  stockOnceSold,
  terminalOrder,
  type Customer,
} from './support/shop.js';

const mailpit = mailpitClient();
const RECEIPT = 'Your payment receipt';
const CANCELLED = 'Your order was cancelled';

/** The subjects of the mails `customer` got beside the welcome mail, after a moment for a second copy to show. */
async function mailsBesidesWelcome(customer: Customer, subject: string): Promise<string[]> {
  await mailpit.awaitMessage(customer.email, 30_000);
  await eventually(async () => ((await mailpit.messages({ to: customer.email })).some((mail) => mail.subject === subject) ? true : undefined), 30_000);
  await pause(1_500);
  return (await mailpit.messages({ to: customer.email })).map((mail) => mail.subject).filter((s) => s !== 'Welcome to the shop');
}

// The order saga across all six services as `npm start` runs them: the order service's saga, the
// inventory's reservations, the payment service's sandbox gateway and the notification service's mails.
describe('the order saga, end to end', () => {
  let platform: TestPlatform;
  let admin: Customer;

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await signUp(platform, platform.adminEmail, 'Admin');
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  it(
    'given 5 units in stock, when a customer orders 2 paid with a card that succeeds, then the order completes, 2 units move from available to sold, one charge is made and one receipt is mailed',
    async () => {
      const productId = await stockedProduct(platform, admin, 5);
      const customer = await signUp(platform, `ada-${randomUUID()}@e2e.example`, 'Ada');

      const placed = await placeOrder(platform, customer, orderOf(productId, 2));
      const order = await terminalOrder(platform, customer, placed.orderId);

      expect(order.status).toBe('COMPLETED');
      expect(await stockOnceSold(platform, productId, 2)).toMatchObject({ available: 3, reserved: 0, sold: 2, received: 5 });
      expect((await paymentsOf(platform, customer, placed.orderId)).map(({ status }) => status)).toEqual(['COMPLETED']);
      expect(await sandboxCharges(platform, placed.orderId)).toBe(1);
      expect(await mailsBesidesWelcome(customer, RECEIPT)).toEqual([RECEIPT]);
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    'given 2 units in stock, when a customer orders 3, then the order is cancelled for insufficient stock, nothing is left reserved, nothing is charged and one cancellation is mailed',
    async () => {
      const productId = await stockedProduct(platform, admin, 2);
      const customer = await signUp(platform, `grace-${randomUUID()}@e2e.example`, 'Grace');

      const placed = await placeOrder(platform, customer, orderOf(productId, 3));
      const order = await terminalOrder(platform, customer, placed.orderId);

      expect(order.status).toBe('CANCELLED');
      expect(order.cancellation?.reason).toBe('INSUFFICIENT_STOCK');
      expect(await stockOf(platform, productId)).toMatchObject({ available: 2, reserved: 0, sold: 0, received: 2 });
      expect(await mailsBesidesWelcome(customer, CANCELLED)).toEqual([CANCELLED]);
      // No OrderConfirmed was sent, so the payment service never heard of the order.
      expect(await paymentsOf(platform, customer, placed.orderId)).toEqual([]);
      expect(await sandboxCharges(platform, placed.orderId)).toBe(0);
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    'given 4 units in stock, when a customer orders 1 paid with a card the gateway declines, then the held unit is released, the order is cancelled for the failed payment and no charge succeeded',
    async () => {
      const productId = await stockedProduct(platform, admin, 4);
      const customer = await signUp(platform, `hedy-${randomUUID()}@e2e.example`, 'Hedy');

      const placed = await placeOrder(platform, customer, orderOf(productId, 1, 'pm_card_chargeDeclined'));
      const order = await terminalOrder(platform, customer, placed.orderId);

      expect(order.status).toBe('CANCELLED');
      expect(order.cancellation?.reason).toBe('PAYMENT_FAILED');
      // The saga cancels only once inventory answered the release, so the unit is back by now.
      expect(await stockOf(platform, productId)).toMatchObject({ available: 4, reserved: 0, sold: 0, received: 4 });
      const payments = await eventually(async () => {
        const listed = await paymentsOf(platform, customer, placed.orderId);
        return listed.length > 0 && listed.every(({ status }) => status !== 'INITIATED') ? listed : undefined;
      });
      expect(payments.map(({ status, failure }) => [status, failure?.code])).toEqual([['FAILED', 'DECLINED']]);
      expect(await sandboxCharges(platform, placed.orderId)).toBe(0);
      expect(await mailsBesidesWelcome(customer, CANCELLED)).toEqual([CANCELLED]);
    },
    FLOW_TIMEOUT_MS,
  );
});
