import { randomUUID } from 'node:crypto';
import { FLOW_TIMEOUT_MS, PLATFORM_TIMEOUT_MS, startPlatform, type TestPlatform } from './support/platform.js';
import { orderOf, paymentsOf, placeOrder, sandboxCharges, signUp, stockedProduct, stockOf, terminalOrder, type Customer } from './support/shop.js';

const PAYMENT_TIMEOUT_MS = 4_000;

// A gateway that never answers leaves the payment parked and the order waiting; the order service's
// durable deadline is what ends it, releasing the held stock.
describe('a payment that never answers, end to end', () => {
  let platform: TestPlatform;
  let admin: Customer;

  beforeAll(async () => {
    platform = await startPlatform({
      environment: {
        order: { ORDER_RESERVATION_TIMEOUT: '20s', ORDER_PAYMENT_TIMEOUT: `${PAYMENT_TIMEOUT_MS}ms`, ORDER_DEADLINE_POLL_INTERVAL: '100ms' },
        // Each attempt times out quickly and the retries end well before the deadline.
        payment: {
          PAYMENT_GATEWAY_TIMEOUT: '300ms',
          PAYMENT_MAX_ATTEMPTS: '2',
          PAYMENT_BACKOFF_BASE: '200ms',
          PAYMENT_BACKOFF_MAX: '200ms',
          PAYMENT_WORKER_POLL_INTERVAL: '100ms',
        },
      },
    });
    admin = await signUp(platform, platform.adminEmail, 'Admin');
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  it(
    'given a short payment deadline, when the gateway never answers the charge, then the order is cancelled at its deadline for the payment timeout and its units are released, uncharged',
    async () => {
      const productId = await stockedProduct(platform, admin, 3);
      const customer = await signUp(platform, `joan-${randomUUID()}@e2e.example`, 'Joan');

      const before = Date.now();
      const placed = await placeOrder(platform, customer, orderOf(productId, 2, 'pm_sandbox_timeout'));
      const order = await terminalOrder(platform, customer, placed.orderId);
      const took = Date.now() - before;

      expect(order.status).toBe('CANCELLED');
      expect(order.cancellation?.reason).toBe('PAYMENT_TIMEOUT');
      // Not before the deadline: nothing else could have cancelled it.
      expect(took).toBeGreaterThanOrEqual(PAYMENT_TIMEOUT_MS);
      expect(await stockOf(platform, productId)).toMatchObject({ available: 3, reserved: 0, sold: 0, received: 3 });
      expect(await sandboxCharges(platform, placed.orderId)).toBe(0);
      // The payment stays parked where the gateway left it: started, never completed.
      expect((await paymentsOf(platform, customer, placed.orderId)).map(({ status }) => status)).toEqual(['INITIATED']);
    },
    FLOW_TIMEOUT_MS,
  );
});
