import { createEvent, type EventOf, type EventType, type NewEvent } from '@msa/contracts';
import { orderReadModel } from '../../../src/adapters/mongo/order-read-model.js';
import { kettle, orderId, payment, paymentId, userId } from '../../domain/fixtures.js';

function event<T extends EventType>(draft: Pick<NewEvent<T>, 'eventType' | 'payload'>, version: number, occurredAt: string): EventOf<T> {
  return createEvent<T>({ ...draft, eventId: '00000000-0000-4000-8000-000000000001', version, occurredAt, correlationId: 'spec', causationId: 'spec' } as NewEvent<T>);
}

const items = [{ productId: kettle, quantity: 2, unitPrice: { amountMinor: 3_990, currency: 'EUR' } }] as const;
const total = { amountMinor: 7_980, currency: 'EUR' } as const;
const created = event<'OrderCreated'>({ eventType: 'OrderCreated', payload: { orderId, userId, items: [...items], total, payment } }, 1, '2025-03-01T09:00:00.000Z');
const placed = orderReadModel.evolve(undefined, created);

describe('Orders read model: evolve', () => {
  it('given a creation, when applied, then the document holds the lines, the total and the payment method, never the token', () => {
    expect(placed).toEqual({
      userId,
      status: 'CREATED',
      items,
      total,
      payment: { method: 'CARD' },
      createdAt: new Date('2025-03-01T09:00:00.000Z'),
      updatedAt: new Date('2025-03-01T09:00:00.000Z'),
    });
    expect(JSON.stringify(placed)).not.toContain('pm_card_visa');
  });

  it('given a confirmation and a completion, when applied, then the status follows and updatedAt moves', () => {
    const confirmed = orderReadModel.evolve(
      placed && { _id: orderId, version: 1, ...placed },
      event<'OrderConfirmed'>({ eventType: 'OrderConfirmed', payload: { orderId, userId, total, payment } }, 2, '2025-03-01T09:01:00.000Z'),
    );
    const completed = orderReadModel.evolve(
      confirmed && { _id: orderId, version: 2, ...confirmed },
      event<'OrderCompleted'>({ eventType: 'OrderCompleted', payload: { orderId, paymentId } }, 3, '2025-03-01T09:02:00.000Z'),
    );

    expect(confirmed).toMatchObject({ status: 'CONFIRMED', updatedAt: new Date('2025-03-01T09:01:00.000Z') });
    expect(completed).toMatchObject({ status: 'COMPLETED', createdAt: new Date('2025-03-01T09:00:00.000Z'), updatedAt: new Date('2025-03-01T09:02:00.000Z') });
  });

  it('given a cancellation after the saga’s release request (a version it skips), when applied, then the document is cancelled with the reason', () => {
    const cancelled = orderReadModel.evolve(
      placed && { _id: orderId, version: 1, ...placed },
      event<'OrderCancelled'>({ eventType: 'OrderCancelled', payload: { orderId, userId, reason: 'PAYMENT_TIMEOUT', detail: 'no payment outcome arrived in time' } }, 3, '2025-03-01T09:05:00.000Z'),
    );

    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellation: { reason: 'PAYMENT_TIMEOUT', detail: 'no payment outcome arrived in time' } });
  });

  it('given a change before its creation, when applied, then undefined, for the platform to catch up from the event store', () => {
    expect(orderReadModel.evolve(undefined, event<'OrderCompleted'>({ eventType: 'OrderCompleted', payload: { orderId, paymentId } }, 3, '2025-03-01T09:02:00.000Z'))).toBeUndefined();
  });
});
