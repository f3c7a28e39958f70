import { type CommandResult, createCommandHandler } from '@msa/platform';
import { createInMemoryEventStore } from '@msa/platform/testing';
import { newResetToken } from '../../src/adapters/crypto/reset-tokens.js';
import { type CurrentPasswordCheck, decide, userDecider } from '../../src/domain/decide.js';
import { emailKey } from '../../src/domain/email.js';
import { EmailAlreadyRegistered, InvalidResetToken } from '../../src/domain/errors.js';
import { initialState, userStream, type UserState } from '../../src/domain/user.js';
import type { UserAccounts, UserProfiles, VersionedProfile } from '../../src/ports.js';

/** A reset link the fake write side recorded: what the notification service would mail. */
export interface SentResetLink {
  readonly email: string;
  readonly token: string;
}

/** The user service's ports with no servers behind them. */
export interface FakeUserPorts {
  readonly accounts: UserAccounts;
  readonly profiles: UserProfiles;
  /** Every reset link recorded so far, oldest first. */
  readonly sentResetLinks: () => readonly SentResetLink[];
}

/** Reset links in the fake last 30 minutes, as by default. */
const RESET_TTL_MS = 30 * 60_000;

/**
 * The write side as the real decider and command handler on the in-memory event store, with the
 * email claims, passwords (compared as given: a fake hasher) and reset tokens in maps; the read side
 * follows every command at once, in registration order.
 */
export function fakeUserPorts(): FakeUserPorts {
  const handle = createCommandHandler({ store: createInMemoryEventStore(), decider: userDecider });
  const logins = new Map<string, { readonly userId: string; password: string; changedAt?: Date }>();
  const byId = new Map<string, VersionedProfile>();
  const resetTokens = new Map<string, { readonly userId: string; readonly expiresAt: Date; used: boolean }>();
  const sent: SentResetLink[] = [];

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
  const loginOf = (userId: string) => [...logins].find(([, held]) => held.userId === userId) ?? [];
  const check = (userId: string, given: string | undefined): CurrentPasswordCheck => {
    if (given === undefined) return 'missing';
    return loginOf(userId)[1]?.password === given ? 'correct' : 'incorrect';
  };
  const setPassword = (userId: string, password: string, changedAt: Date) => {
    const login = loginOf(userId)[1];
    if (login === undefined) return;
    login.password = password;
    login.changedAt = changedAt;
    for (const token of resetTokens.values()) if (token.userId === userId) token.used = true;
  };

  const accounts: UserAccounts = {
    async register(command, context) {
      const { userId, email, password } = command.data;
      decide(command, initialState(), { now: context.now ?? new Date() });
      const key = claimable(email, userId);
      const registered = record(await handle(userStream(userId), command, context));
      logins.set(key, { userId, password });
      return registered;
    },
    async updateProfile({ currentPassword, ...fields }, context) {
      const { userId, email } = fields;
      const key = email === undefined ? undefined : claimable(email, userId);
      const command = { type: 'UpdateProfile', data: { ...fields, currentPassword: check(userId, currentPassword) } } as const;
      const updated = record(await handle(userStream(userId), command, context));
      const [oldKey, login] = loginOf(userId);
      if (key !== undefined && oldKey !== undefined && login !== undefined) {
        logins.delete(oldKey);
        logins.set(key, login);
      }
      return updated;
    },
    async authenticate(email, password, issue) {
      const login = logins.get(emailKey(email));
      const user = login?.password === password ? byId.get(login.userId) : undefined;
      return user === undefined ? undefined : issue(user);
    },
    async changePassword({ userId, currentPassword, newPassword }, context) {
      const command = { type: 'ChangePassword', data: { userId, currentPassword: check(userId, currentPassword), newPassword } } as const;
      const result = await handle(userStream(userId), command, context);
      setPassword(userId, newPassword, new Date(result.events[0]?.occurredAt ?? 0));
      return record(result);
    },
    async requestPasswordReset(email, context) {
      const userId = logins.get(emailKey(email))?.userId;
      if (userId === undefined) return;
      const resetToken = newResetToken();
      const result = await handle(userStream(userId), { type: 'RequestPasswordReset', data: { userId, resetToken, ttlMs: RESET_TTL_MS } }, context);
      for (const event of result.events) {
        if (event.eventType !== 'PasswordResetRequested') continue;
        for (const token of resetTokens.values()) if (token.userId === userId) token.used = true;
        resetTokens.set(resetToken, { userId, expiresAt: new Date(event.payload.expiresAt), used: false });
        sent.push({ email: event.payload.email, token: resetToken });
      }
    },
    async resetPassword({ token, newPassword }, context) {
      const found = resetTokens.get(token);
      if (found === undefined) throw new InvalidResetToken();
      const { userId, expiresAt, used } = found;
      const result = await handle(userStream(userId), { type: 'ResetPassword', data: { userId, resetToken: { expiresAt, used }, newPassword } }, context);
      setPassword(userId, newPassword, new Date(result.events[0]?.occurredAt ?? 0));
      record(result);
    },
    passwordChangedAt(userId) {
      return Promise.resolve(loginOf(userId)[1]?.changedAt);
    },
  };
  const profiles: UserProfiles = {
    byId: (userId) => Promise.resolve(byId.get(userId)),
    page(page, pageSize) {
      const all = [...byId.values()];
      return Promise.resolve({ items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length });
    },
  };
  return { accounts, profiles, sentResetLinks: () => [...sent] };
}
