import type { Platform } from './platform.js';
import type { PlacedOrder } from './ramp.js';
import { firstOrders, type Shop } from './shop.js';
import type { TerminalWatch } from './terminals.js';

/**
 * One order per product (see `firstOrders`), then up to `timeoutMs` for their terminal states: the
 * price list knows every product and each consumer has its partitions before anything is measured.
 */
export async function warmUp(platform: Platform, shop: Shop, watch: TerminalWatch, timeoutMs = 60_000): Promise<PlacedOrder[]> {
  const first = await firstOrders(platform, shop);
  const deadline = Date.now() + timeoutMs;
  while (first.some((id) => watch.get(id) === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return first.map((orderId, index): PlacedOrder => ({ orderId, productId: shop.productIds[index] ?? '', status: watch.get(orderId)?.status ?? 'UNFINISHED' }));
}
