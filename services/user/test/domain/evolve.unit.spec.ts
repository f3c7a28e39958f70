import { initialState } from '../../src/domain/user.js';
import { created, given, userId } from './fixtures.js';

describe('User: evolve', () => {
  it('given no events, when folded, then nobody is registered', () => {
    given([]).thenState(initialState());
  });

  it('given a creation and two updates, when folded, then the latest value of each field wins', () => {
    given([
      created,
      { eventType: 'UserUpdated', payload: { userId, name: 'Kim Min-ji', phone: '+821012345678' } },
      { eventType: 'UserUpdated', payload: { userId, phone: '+821099998888' } },
    ]).thenState({
      status: 'registered',
      profile: { userId, email: 'Kim@Example.com', name: 'Kim Min-ji', role: 'customer', phone: '+821099998888' },
    });
  });
});
