import { z } from 'zod';
import { parseEvent } from '../src/index.js';
import { UpcasterChainError, createUpcasterChain, defineUpcaster } from '../src/upcasting.js';
import { asWire, ids, meta, sampleEvent } from './fixtures.js';

const storedUserCreatedV1 = {
  ...meta,
  eventType: 'UserCreated',
  aggregateType: 'User',
  aggregateId: ids.user,
  schemaVersion: 1,
  payload: { userId: ids.user, email: 'kim@example.com', name: 'Kim Minji', createdAt: '2025-03-01T09:30:00' },
};

function storedOrderCreatedV1(totalAmount: string) {
  return {
    ...meta,
    eventType: 'OrderCreated',
    aggregateType: 'Order',
    aggregateId: ids.order,
    schemaVersion: 1,
    payload: {
      orderId: ids.order,
      userId: ids.user,
      items: [{ productId: ids.product, quantity: 2, unitPrice: '29950' }],
      totalAmount,
      createdAt: '2025-03-01T09:30:00',
    },
  };
}

describe('reading stored events through the upcaster chain', () => {
  it('given a UserCreated stored at v1, when parsed, then it reads as a v2 customer without createdAt', () => {
    const result = parseEvent(storedUserCreatedV1);

    expect(result.success && result.data).toEqual({
      ...storedUserCreatedV1,
      schemaVersion: 2,
      payload: { userId: ids.user, email: 'kim@example.com', name: 'Kim Minji', role: 'customer' },
    });
  });

  it.each([['59900'], ['59900.00']])(
    'given an OrderCreated stored at v1 with total %p, when parsed, then amounts are won in minor units',
    (totalAmount) => {
      const result = parseEvent(storedOrderCreatedV1(totalAmount));

      expect(result.success && result.data.payload).toEqual({
        orderId: ids.order,
        userId: ids.user,
        items: [{ productId: ids.product, quantity: 2, unitPrice: { amountMinor: 29_950, currency: 'KRW' } }],
        total: { amountMinor: 59_900, currency: 'KRW' },
      });
    },
  );

  it('given a v1 total with a fraction of a won, when parsed, then the v1 field is named, not rounded', () => {
    const result = parseEvent(storedOrderCreatedV1('59900.5'));

    expect(!result.success && result.error.path).toBe('payload.totalAmount');
    expect(!result.success && result.error.message).toContain('schemaVersion 1');
  });

  it('given an event at the current version, when parsed, then no upcaster changes it', () => {
    const current = asWire(sampleEvent('OrderCreated'));

    expect(parseEvent(current)).toEqual({ success: true, data: current });
  });

  it('given a version newer than this build knows, when parsed, then it is rejected as unsupported', () => {
    const result = parseEvent({ ...storedUserCreatedV1, schemaVersion: 3 });

    expect(!result.success && result.error.code).toBe('UNSUPPORTED_SCHEMA_VERSION');
    expect(!result.success && result.error.path).toBe('schemaVersion');
    expect(!result.success && result.error.message).toMatch(/newer than the 2/);
  });

  it('given schemaVersion 0, when parsed, then schemaVersion is named', () => {
    const result = parseEvent({ ...storedUserCreatedV1, schemaVersion: 0 });

    expect(!result.success && result.error.path).toBe('schemaVersion');
  });
});

describe('createUpcasterChain', () => {
  const renameStep = defineUpcaster({
    eventType: 'Widget',
    fromVersion: 1,
    reason: 'label was renamed title',
    from: z.object({ label: z.string() }),
    upcast: ({ label }) => ({ title: label }),
  });
  const countStep = defineUpcaster({
    eventType: 'Widget',
    fromVersion: 2,
    reason: 'count became required',
    from: z.object({ title: z.string() }),
    upcast: ({ title }) => ({ title, count: 0 }),
  });

  it('given steps 1→2→3, when a v1 payload is upcast, then every step applies in order', () => {
    const chain = createUpcasterChain({ Widget: 3 }, [countStep, renameStep]);

    expect(chain('Widget', 1, { label: 'a' })).toEqual({ success: true, payload: { title: 'a', count: 0 } });
    expect(chain('Widget', 2, { title: 'b' })).toEqual({ success: true, payload: { title: 'b', count: 0 } });
  });

  it('given a missing step, when the chain is built, then it throws naming the gap', () => {
    expect(() => createUpcasterChain({ Widget: 3 }, [renameStep])).toThrow(
      new UpcasterChainError(['Widget: no upcaster from version 2 to 3']),
    );
  });

  it('given a step registered twice, when the chain is built, then it throws', () => {
    expect(() => createUpcasterChain({ Widget: 2 }, [renameStep, renameStep])).toThrow(/Widget@1: registered twice/);
  });

  it('given a step at or past the current version, when the chain is built, then it throws', () => {
    expect(() => createUpcasterChain({ Widget: 2 }, [renameStep, countStep])).toThrow(
      /Widget@2: outside versions 1\.\.1/,
    );
  });

  it('given a step for an unknown event type, when the chain is built, then it throws', () => {
    expect(() => createUpcasterChain({}, [renameStep])).toThrow(/Widget@1: unknown event type/);
  });

  it('given an old payload that fails its old schema, when upcast, then the error names the old field', () => {
    const chain = createUpcasterChain({ Widget: 2 }, [renameStep]);

    const result = chain('Widget', 1, { label: 7 });

    expect(!result.success && result.error.path).toBe('payload.label');
  });
});
