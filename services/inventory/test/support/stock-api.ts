import type { DomainEvent } from '@msa/contracts';
import type { StockView } from '../../src/ports.js';
import { productCreated } from './events.js';
import { eventually, type TestInventoryService } from './service.js';

/** A product's stock through the API, with the status it answered. */
export async function stockOf(service: TestInventoryService, productId: string): Promise<{ status: number; body: StockView }> {
  const res = await service.api().get(`/api/inventory/${productId}`);
  return { status: res.status, body: res.body as StockView };
}

/** The events of a stream in the service's store. */
export async function eventsOf(service: TestInventoryService, streamId: string): Promise<readonly DomainEvent[]> {
  return (await service.store.readStream(streamId)).events;
}

/** Publishes `count` created products and waits until their stock records are open. */
export async function openProducts(service: TestInventoryService, count: number): Promise<string[]> {
  const products = Array.from({ length: count }, () => productCreated());
  await service.publish(...products);
  const ids = products.map((event) => event.payload.productId);
  for (const id of ids) await eventually(async () => ((await stockOf(service, id)).status === 200 ? true : undefined), 60_000);
  return ids;
}

/** An admin's restock of `quantity` units; answers the stock after it. */
export async function restock(service: TestInventoryService, productId: string, quantity: number): Promise<StockView> {
  const res = await service.api().post(`/api/inventory/${productId}/restock`).set('authorization', await service.asAdmin()).send({ quantity });
  if (res.status !== 200) throw new Error(`restock of ${productId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as StockView;
}
