import { FLOW_TIMEOUT_MS, PLATFORM_TIMEOUT_MS, startPlatform, type TestPlatform } from './support/platform.js';
import { availableOverTime } from './support/history.js';
import { orderOf, placeOrder, sandboxCharges, signUp, stockedProduct, stockOf, terminalOrder, type Customer } from './support/shop.js';

const ORDERS = 50;
const UNITS = 10;

// Fifty customers' sagas race for ten units of one product: the inventory's row locks and
// all-or-nothing reservations decide who gets them, through Kafka and the real services.
describe('concurrent orders for scarce stock, end to end', () => {
  let platform: TestPlatform;
  let admin: Customer;

  beforeAll(async () => {
    // Deadlines far off: this spec is about who gets the stock, and a loaded machine must not turn a
    // slow reservation into a timeout.
    platform = await startPlatform({ environment: { order: { ORDER_RESERVATION_TIMEOUT: '10m', ORDER_PAYMENT_TIMEOUT: '10m' } } });
    admin = await signUp(platform, platform.adminEmail, 'Admin');
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  it(
    `given ${UNITS} units, when ${ORDERS} orders of one unit arrive at once, then exactly ${UNITS} complete and ${ORDERS - UNITS} are cancelled for stock, available ends at 0 and never went below it`,
    async () => {
      const productId = await stockedProduct(platform, admin, UNITS);
      const customers = await Promise.all(Array.from({ length: 5 }, () => signUp(platform)));
      // One order first, so the price list knows the product before the burst; it is one of the fifty.
      const [firstCustomer = admin] = customers;
      const first = await placeOrder(platform, firstCustomer, orderOf(productId, 1));

      const rest = await Promise.all(
        Array.from({ length: ORDERS - 1 }, async (_, index) => {
          const customer = customers[index % customers.length] ?? admin;
          return { customer, order: await placeOrder(platform, customer, orderOf(productId, 1)) };
        }),
      );
      const placed = [{ customer: firstCustomer, order: first }, ...rest];
      const ended = await Promise.all(placed.map(({ customer, order }) => terminalOrder(platform, customer, order.orderId, 80_000)));

      const completed = ended.filter((order) => order.status === 'COMPLETED');
      const cancelled = ended.filter((order) => order.status === 'CANCELLED');
      expect(completed).toHaveLength(UNITS);
      expect(cancelled).toHaveLength(ORDERS - UNITS);
      expect(new Set(cancelled.map((order) => order.cancellation?.reason))).toEqual(new Set(['INSUFFICIENT_STOCK']));
      const stock = await stockOf(platform, productId);
      expect(stock.available).toBe(0);
      expect(stock.reserved + stock.sold).toBe(UNITS);
      const history = await availableOverTime(platform.pools.inventory, productId);
      // A restock, then ten reservations: 10, 9, ..., 0, and no event ever took it below zero.
      expect(Math.min(...history)).toBe(0);
      expect(history).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      const charges = await Promise.all(ended.map((order) => sandboxCharges(platform, order.orderId)));
      expect(charges.reduce((sum, count) => sum + count, 0)).toBe(UNITS);
    },
    FLOW_TIMEOUT_MS * 2,
  );
});
