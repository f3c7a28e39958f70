import type { EventHandlers, TokenRevocations } from '@msa/platform';

/**
 * The `user.sessions` group's handlers: a password change revokes, on every service, the user's
 * tokens issued before it. A revocation Redis did not take rejects, so the consumer retries the event
 * and then dead-letters it; recording one again, or an older one, changes nothing.
 */
export function sessionHandlers(revocations: TokenRevocations): EventHandlers {
  return {
    async UserPasswordChanged(event) {
      await revocations.revokeIssuedBefore(event.payload.userId, new Date(event.occurredAt));
    },
  };
}
