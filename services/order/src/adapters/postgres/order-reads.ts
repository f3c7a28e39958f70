import type { EventStore } from '@msa/platform';
import type pg from 'pg';
import { evolveOrder, initialOrderState, orderStream } from '../../domain/order.js';
import type { OrderDetail } from '../../ports.js';
import { readSaga } from './sagas.js';

/** An order from its stream, with its saga: what the write side holds now, not what the read model has caught up to. */
export async function readOrder(store: EventStore, pool: pg.Pool, orderId: string): Promise<OrderDetail | undefined> {
  const { events, version } = await store.readStream(orderStream(orderId));
  const state = events.reduce((current, event) => (event.aggregateType === 'Order' ? evolveOrder(current, event) : current), initialOrderState());
  if (state.status === 'absent') return undefined;
  const saga = await readSaga(pool, orderId);
  return { order: state.order, version, saga: saga === undefined ? undefined : { state: saga.state, history: saga.history } };
}
