import type { EventDraft } from '@msa/platform';
import { deciderSpec } from '@msa/platform/testing';
import { type UserCommand, userDecider } from '../../src/domain/decide.js';
import type { UserEvent } from '../../src/domain/user.js';

/** Given/when/then for the User aggregate. */
export const { given } = deciderSpec(userDecider);

export const userId = '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a';

export const created = {
  eventType: 'UserCreated',
  payload: { userId, email: 'Kim@Example.com', name: 'Kim Minji', role: 'customer' },
} as const satisfies EventDraft<UserEvent>;

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
