import { FLOW_TIMEOUT_MS, PLATFORM_TIMEOUT_MS, startPlatform, type SagaService, type TestPlatform } from './support/platform.js';
import { orderOf, pause, placeOrder, sandboxCharges, signUp, stockedProduct, stockOf, terminalOrder, type Customer } from './support/shop.js';

const ORDERS = 12;

// Each saga service in turn runs as a process of its own (its built main.js on the spec's namespace)
// and is SIGKILLed while orders are in flight: no drain, no commit of what it was doing. Restarted on
// the same database, it must pick up where the durable state says it was.
describe.each<SagaService>(['order', 'inventory', 'payment'])('the %s service killed mid-flow, end to end', (victim) => {
  let platform: TestPlatform;
  let admin: Customer;

  beforeAll(async () => {
    platform = await startPlatform({
      processes: [victim],
      // A slower gateway keeps the orders in flight long enough for the kill to land among them.
      // Deadlines far off, so an order ends by its saga's own steps after the restart, not by a timeout.
      environment: { payment: { PAYMENT_SANDBOX_LATENCY: '300ms' }, order: { ORDER_RESERVATION_TIMEOUT: '10m', ORDER_PAYMENT_TIMEOUT: '10m' } },
    });
    admin = await signUp(platform, platform.adminEmail, 'Admin');
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  it(
    `given ${ORDERS} orders in flight, when the ${victim} service is SIGKILLed and restarted, then every order completes, each charged once, and the stock balances`,
    async () => {
      const productId = await stockedProduct(platform, admin, 100);
      const customer = await signUp(platform);
      const placed = await Promise.all(Array.from({ length: ORDERS }, () => placeOrder(platform, customer, orderOf(productId, 1))));

      const statuses = await Promise.all(
        placed.map(async (order) => ((await platform.order.get(`/api/orders/${order.orderId}`).set('authorization', customer.bearer)).body as { status: string }).status),
      );
      await platform.process(victim).kill();
      // The kill landed mid-flow: some saga had not ended yet.
      expect(statuses.filter((status) => status !== 'COMPLETED').length).toBeGreaterThan(0);
      await pause(1_000);
      await platform.process(victim).start();

      const ended = await Promise.all(placed.map((order) => terminalOrder(platform, customer, order.orderId, 80_000)));
      expect(ended.map((order) => order.status)).toEqual(placed.map(() => 'COMPLETED'));
      const charges = await Promise.all(placed.map((order) => sandboxCharges(platform, order.orderId)));
      expect(charges).toEqual(placed.map(() => 1));
      const stock = await stockOf(platform, productId);
      expect(stock.reserved + stock.sold).toBe(ORDERS);
      expect(stock.available).toBe(100 - ORDERS);
    },
    FLOW_TIMEOUT_MS * 2,
  );
});
