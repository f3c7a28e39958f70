import { reactToSaga, type SagaContext, type SagaInput, type SagaReaction, type SagaState, type SagaTimeouts } from '../../src/domain/saga.js';

export const timeouts: SagaTimeouts = { reservationMs: 30_000, paymentMs: 120_000 };
export const specNow = new Date('2025-01-01T00:00:00.000Z');

/** Given/when/then for the process manager: a saga state, an input, and what the saga does. */
export function givenSaga(state: SagaState) {
  return {
    when(input: SagaInput, context: Partial<SagaContext> = {}) {
      const reaction = reactToSaga(state, input, { now: specNow, timeouts, ...context });
      return {
        then(expected: SagaReaction): void {
          expect(reaction).toStrictEqual(expected);
        },
        /** The saga does nothing; `why` says which rule made it so. */
        thenNothing(why?: string): void {
          expect(reaction).toMatchObject({ type: 'none', ...(why === undefined ? {} : { why }) });
        },
        thenRefuses(): void {
          expect(reaction.type).toBe('refuse');
        },
      };
    },
  };
}
