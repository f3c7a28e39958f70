import { EventParseError, createEvent, eventTopics, eventTypes, parseEvent, topicFor } from '../src/index.js';
import { asWire, ids, meta, sampleEvent } from './fixtures.js';

function parseFailure(input: unknown): EventParseError {
  const result = parseEvent(input);
  if (result.success) throw new Error('expected the event to be rejected');
  return result.error;
}

function withPayload(type: Parameters<typeof sampleEvent>[0], change: Record<string, unknown>): unknown {
  const wire = asWire(sampleEvent(type));
  return { ...wire, payload: { ...(wire.payload as object), ...change } };
}

describe('parseEvent', () => {
  it.each(eventTypes.map((type) => [type]))(
    'given a valid %s off the wire, when parsed, then it is returned unchanged and typed',
    (type) => {
      const event = sampleEvent(type);

      const result = parseEvent(asWire(event));

      expect(result).toEqual({ success: true, data: event });
    },
  );

  it('given an order line with quantity 0, when parsed, then the error names payload.items.0.quantity', () => {
    const items = [{ productId: ids.product, quantity: 0, unitPrice: { amountMinor: 1, currency: 'KRW' } }];

    const error = parseFailure(withPayload('OrderCreated', { items }));

    expect(error).toBeInstanceOf(EventParseError);
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.path).toBe('payload.items.0.quantity');
  });

  it('given a fractional amount of minor units, when parsed, then money as a float is rejected', () => {
    const error = parseFailure(withPayload('OrderConfirmed', { total: { amountMinor: 918.5, currency: 'KRW' } }));

    expect(error.path).toBe('payload.total.amountMinor');
  });

  it('given an unknown currency, when parsed, then the error names the currency', () => {
    const error = parseFailure(withPayload('PaymentInitiated', { amount: { amountMinor: 100, currency: 'XXY' } }));

    expect(error.path).toBe('payload.amount.currency');
  });

  it('given lines priced in two currencies, when an order is parsed, then the odd line is named', () => {
    const items = [{ productId: ids.product, quantity: 1, unitPrice: { amountMinor: 100, currency: 'USD' } }];

    const error = parseFailure(withPayload('OrderCreated', { items }));

    expect(error.path).toBe('payload.items.0.unitPrice.currency');
  });

  it('given a UserCreated carrying a password hash, when parsed, then the hash is not in the event', () => {
    const result = parseEvent(withPayload('UserCreated', { passwordHash: '$argon2id$v=19$...' }));

    expect(result.success && result.data.payload).not.toHaveProperty('passwordHash');
  });

  it('given an aggregateId that is not the payload id, when parsed, then aggregateId is named', () => {
    const error = parseFailure({ ...asWire(sampleEvent('UserUpdated')), aggregateId: ids.order });

    expect(error.path).toBe('aggregateId');
    expect(error.message).toContain('payload.userId');
  });

  it('given a failed reservation without a reason, when parsed, then payload.reason is named', () => {
    const shortages = [{ productId: ids.product, requested: 2, available: 1 }];

    const error = parseFailure(withPayload('InventoryReserved', { status: 'INSUFFICIENT_STOCK', shortages }));

    expect(error.path).toBe('payload.reason');
  });

  it('given a repeated product in a reservation, when parsed, then the lines are rejected', () => {
    const line = { productId: ids.product, quantity: 1 };

    const error = parseFailure(withPayload('StockReleased', { items: [line, line] }));

    expect(error.path).toBe('payload.items');
  });

  it('given a restock with its note, when parsed, then the note is kept', () => {
    const result = parseEvent(withPayload('StockReceived', { note: 'supplier delivery 17' }));

    expect(result.success && result.data.payload).toMatchObject({ note: 'supplier delivery 17' });
  });

  it('given a restock with a blank note, when parsed, then payload.note is named', () => {
    const error = parseFailure(withPayload('StockReceived', { note: '  ' }));

    expect(error.path).toBe('payload.note');
  });

  it('given an SMS request addressed to an email, when parsed, then payload.to is named', () => {
    const error = parseFailure(withPayload('NotificationRequested', { channel: 'sms' }));

    expect(error.path).toBe('payload.to');
  });

  it('given an update that changes nothing, when parsed, then it is rejected', () => {
    const wire = asWire(sampleEvent('ProductUpdated'));

    const error = parseFailure({ ...wire, payload: { productId: ids.product } });

    expect(error.path).toBe('payload');
  });

  it.each([
    ['version', 0],
    ['occurredAt', '2025-03-01 09:30'],
    ['eventId', 'not-a-uuid'],
    ['correlationId', ''],
  ])('given envelope field %s = %p, when parsed, then that field is named', (field, value) => {
    const error = parseFailure({ ...asWire(sampleEvent('OrderCompleted')), [field]: value });

    expect(error.path).toBe(field);
  });

  it('given an unknown event type, when parsed, then the error says so and names eventType', () => {
    const error = parseFailure({ ...asWire(sampleEvent('UserCreated')), eventType: 'UserDeleted' });

    expect(error.code).toBe('UNKNOWN_EVENT_TYPE');
    expect(error.path).toBe('eventType');
  });

  it.each([[null], ['{"eventType":"UserCreated"}'], [42]])(
    'given %p, which is not an event object, when parsed, then it is rejected without throwing',
    (input) => {
      expect(parseFailure(input).code).toBe('INVALID_EVENT');
    },
  );
});

describe('createEvent', () => {
  it('given a payload and envelope ids, when created, then aggregate type, id and version are filled in', () => {
    const event = createEvent({
      ...meta,
      eventType: 'StockDepleted',
      payload: { productId: ids.product, available: 0, lowWaterMark: 0 },
    });

    expect(event).toMatchObject({ aggregateType: 'Stock', aggregateId: ids.product, schemaVersion: 1 });
  });

  it('given an invalid payload, when created, then it throws naming the field', () => {
    const create = (): unknown =>
      createEvent({ ...meta, eventType: 'OrderCompleted', payload: { orderId: ids.order, paymentId: 'p-1' } });

    expect(create).toThrow(EventParseError);
    expect(create).toThrow(/payload\.paymentId/);
  });
});

describe('topicFor', () => {
  it.each(eventTypes.map((type) => [type]))(
    'given a %s, when routed, then it goes to a catalog topic carrying that event type',
    (type) => {
      const topic = eventTopics.find((t) => t.name === topicFor(sampleEvent(type)));

      expect(topic?.eventType).toBe(type);
    },
  );

  it('given an email and an SMS request, when routed, then each goes to its channel topic', () => {
    const email = sampleEvent('NotificationRequested');
    const sms = parseEvent(withPayload('NotificationRequested', { channel: 'sms', to: '+821012345678' }));

    expect(topicFor(email)).toBe('notification.email.requested');
    expect(sms.success && topicFor(sms.data)).toBe('notification.sms.requested');
  });

  it('given the event types, when listed, then each has at least one topic', () => {
    expect(eventTypes).toHaveLength(24);
    for (const type of eventTypes) expect(eventTopics.some((t) => t.eventType === type)).toBe(true);
  });
});
