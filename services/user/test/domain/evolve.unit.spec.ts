import { fold, initialState } from '../../src/domain/user.js';
import { created, userId } from './spec.js';

describe('User: evolve', () => {
  it('given no events, when folded, then nobody is registered', () => {
    expect(fold([])).toEqual(initialState);
  });

  it('given a creation and two updates, when folded, then the latest value of each field wins', () => {
    const state = fold([
      created,
      { eventType: 'UserUpdated', payload: { userId, name: 'Kim Min-ji', phone: '+821012345678' } },
      { eventType: 'UserUpdated', payload: { userId, phone: '+821099998888' } },
    ]);

    expect(state).toEqual({
      status: 'registered',
      profile: { userId, email: 'Kim@Example.com', name: 'Kim Min-ji', role: 'customer', phone: '+821099998888' },
    });
  });
});
