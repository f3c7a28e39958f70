import { type CommandResult, createCommandHandler } from '@msa/platform';
import { createInMemoryEventStore } from '@msa/platform/testing';
import { decide, userDecider } from '../../src/domain/decide.js';
import { emailKey } from '../../src/domain/email.js';
import { EmailAlreadyRegistered } from '../../src/domain/errors.js';
import { initialState, userStream, type UserState } from '../../src/domain/user.js';
import type { UserAccounts, UserProfiles, VersionedProfile } from '../../src/ports.js';

/** The user service's ports with no servers behind them. */
export interface FakeUserPorts {
  readonly accounts: UserAccounts;
  readonly profiles: UserProfiles;
}

/**
 * The write side as the real decider and command handler on the in-memory event store, with the
 * email claims in a map and passwords compared as given (a fake hasher); the read side follows every
 * command at once, in registration order.
 */
export function fakeUserPorts(): FakeUserPorts {
  const handle = createCommandHandler({ store: createInMemoryEventStore(), decider: userDecider });
  const logins = new Map<string, { readonly userId: string; readonly password: string }>();
  const byId = new Map<string, VersionedProfile>();

  const record = ({ state, nextExpectedVersion }: CommandResult<UserState, 'User'>): VersionedProfile => {
    if (state.status !== 'registered') throw new Error('a handled user command left no user');
    const profile = { profile: state.profile, version: nextExpectedVersion };
    byId.set(state.profile.userId, profile);
    return profile;
  };
  /** Refuses an address another account holds, as the unique index does. */
  const claimable = (email: string, userId: string): string => {
    const key = emailKey(email);
    const owner = logins.get(key)?.userId;
    if (owner !== undefined && owner !== userId) throw new EmailAlreadyRegistered();
    return key;
  };

  const accounts: UserAccounts = {
    async register(command, context) {
      const { userId, email, password } = command.data;
      decide(command, initialState());
      const key = claimable(email, userId);
      const registered = record(await handle(userStream(userId), command, context));
      logins.set(key, { userId, password });
      return registered;
    },
    async updateProfile(command, context) {
      const { userId, email } = command.data;
      const key = email === undefined ? undefined : claimable(email, userId);
      const updated = record(await handle(userStream(userId), command, context));
      const [oldKey, login] = [...logins].find(([, held]) => held.userId === userId) ?? [];
      if (key !== undefined && oldKey !== undefined && login !== undefined) {
        logins.delete(oldKey);
        logins.set(key, login);
      }
      return updated;
    },
    authenticate(email, password) {
      const login = logins.get(emailKey(email));
      return Promise.resolve(login?.password === password ? byId.get(login.userId) : undefined);
    },
  };
  const profiles: UserProfiles = {
    byId: (userId) => Promise.resolve(byId.get(userId)),
    page(page, pageSize) {
      const all = [...byId.values()];
      return Promise.resolve({ items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length });
    },
  };
  return { accounts, profiles };
}
