import { decide, type UserCommand } from '../../src/domain/decide.js';
import type { UserRejected } from '../../src/domain/errors.js';
import { fold, type UserEvent } from '../../src/domain/user.js';

type RejectionClass = new (...args: never[]) => UserRejected;

/**
 * Given/when/then for the User aggregate: the history folds into a state, the command is decided
 * against it, and the outcome is either the new events or the rule that refused it.
 */
export function given(...history: UserEvent[]) {
  return {
    when(command: UserCommand) {
      const decision = () => decide(command, fold(history));
      return {
        then(expected: readonly UserEvent[]): void {
          expect(decision()).toStrictEqual(expected);
        },
        thenRejects(rejection: RejectionClass, details: Record<string, unknown> = {}): void {
          expect(decision).toThrow(rejection);
          try {
            decision();
          } catch (error) {
            expect(error).toMatchObject(details);
          }
        },
      };
    },
  };
}

export const userId = '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a';

export const created = {
  eventType: 'UserCreated',
  payload: { userId, email: 'Kim@Example.com', name: 'Kim Minji', role: 'customer' },
} as const satisfies UserEvent;

export function register(overrides: Partial<Extract<UserCommand, { type: 'RegisterUser' }>['data']> = {}): UserCommand {
  return {
    type: 'RegisterUser',
    data: {
      userId,
      email: 'Kim@Example.com',
      name: 'Kim Minji',
      role: 'customer',
      password: 'correct horse battery',
      ...overrides,
    },
  };
}
