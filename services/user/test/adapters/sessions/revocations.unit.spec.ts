import { randomUUID } from 'node:crypto';
import { createEvent } from '@msa/contracts';
import type { HandlerContext, TokenRevocations } from '@msa/platform';
import { sessionHandlers } from '../../../src/adapters/sessions/revocations.js';

const userId = randomUUID();
const changed = createEvent<'UserPasswordChanged'>({
  eventType: 'UserPasswordChanged',
  eventId: randomUUID(),
  version: 2,
  occurredAt: '2025-03-01T09:30:00.700Z',
  correlationId: 'req-1',
  causationId: 'req-1',
  payload: { userId, via: 'change' },
});
// The handler reads nothing of its context: the revocation is in Redis, not in the consumer's transaction.
const context = {} as HandlerContext;

describe('The user.sessions handlers', () => {
  it('given a password change, when handled, then the user’s tokens issued before its instant are revoked', async () => {
    const revoked: [string, Date][] = [];
    const revocations: TokenRevocations = {
      revokeIssuedBefore: (id, instant) => {
        revoked.push([id, instant]);
        return Promise.resolve();
      },
    };

    await sessionHandlers(revocations).UserPasswordChanged?.(changed, context);

    expect(revoked).toEqual([[userId, new Date('2025-03-01T09:30:00.700Z')]]);
  });

  it('given Redis refusing the revocation, when handled, then the handler rejects, so the consumer tries again', async () => {
    const failure = new Error('redis is not connected');
    const revocations: TokenRevocations = { revokeIssuedBefore: () => Promise.reject(failure) };

    await expect(sessionHandlers(revocations).UserPasswordChanged?.(changed, context)).rejects.toBe(failure);
  });
});
