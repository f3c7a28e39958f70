import { createHash, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@msa/local';
import { createEventStore, createLogger, createPool, eventStoreMigrations, migrate } from '@msa/platform';
import type pg from 'pg';
import { createPasswordHasher, type PasswordHasher } from '../../src/adapters/crypto/password-hasher.js';
import { createUserAccounts } from '../../src/adapters/postgres/accounts.js';
import { passwordChangeCheck } from '../../src/adapters/sessions/password-change-check.js';
import { userMigrations } from '../../src/adapters/postgres/schema.js';
import {
  CurrentPasswordIncorrect,
  CurrentPasswordRequired,
  InvalidResetToken,
  WeakPassword,
} from '../../src/domain/errors.js';
import { userStream } from '../../src/domain/user.js';
import type { CommandContext, UserAccounts } from '../../src/ports.js';
import { SERVER_TEST_TIMEOUT_MS } from '../support/timeout.js';

const password = 'correct horse battery staple';
const newPassword = 'a whole new passphrase';
const RESET_TTL_MS = 30 * 60_000;
const at = (iso: string): CommandContext => ({ correlationId: 'req-1', causationId: 'req-1', now: new Date(iso) });
const context = at('2025-03-01T09:30:00.250Z');

describe('User passwords on PostgreSQL', () => {
  const logger = createLogger({ service: 'user', level: 'silent' });
  let database: TestDatabase;
  let pool: pg.Pool;
  let accounts: UserAccounts;
  let passwords: PasswordHasher;
  /** When a password change takes effect, as the adapter reads its clock; the request's time unless a spec moves it. */
  let changesAt: () => Date;
  const setClock = (iso: string) => {
    changesAt = () => new Date(iso);
  };
  const store = () => createEventStore({ pool, logger });
  /** Logs in, answering with the user the password identifies, as the login route answers with a token. */
  const logIn = (email: string, secret: string) => accounts.authenticate(email, secret, (user) => Promise.resolve(user));

  beforeAll(async () => {
    database = await createTestDatabase('user_passwords');
    pool = createPool({ connectionString: database.url, applicationName: 'user-passwords-test', logger, max: 20 });
    await migrate(pool, [...eventStoreMigrations, ...userMigrations]);
    passwords = await createPasswordHasher({ log2N: 10, r: 8, p: 1 });
    accounts = createUserAccounts({ pool, store: store(), passwords, resetTokenTtlMs: RESET_TTL_MS, clock: () => changesAt() });
  }, SERVER_TEST_TIMEOUT_MS);
  beforeEach(() => {
    setClock('2025-03-01T09:30:00.250Z');
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  }, SERVER_TEST_TIMEOUT_MS);

  async function register(email: string): Promise<string> {
    const userId = randomUUID();
    await accounts.register({ type: 'RegisterUser', data: { userId, email, name: 'Kim Minji', role: 'customer', password } }, context);
    return userId;
  }

  async function eventsOf(userId: string) {
    return (await store().readStream(userStream(userId))).events;
  }

  /** The reset tokens the user's stream carries, oldest first: what the notification service mails. */
  async function mailedTokens(userId: string): Promise<string[]> {
    return (await eventsOf(userId)).flatMap((event) => (event.eventType === 'PasswordResetRequested' ? [event.payload.resetToken] : []));
  }

  async function requestedToken(email: string, userId: string, when = context): Promise<string> {
    await accounts.requestPasswordReset(email, when);
    const token = (await mailedTokens(userId)).at(-1);
    if (token === undefined) throw new Error(`no reset was recorded for ${email}`);
    return token;
  }

  describe('changing the password', () => {
    it('given the right current password, when it changes, then only the new one logs in and UserPasswordChanged says change', async () => {
      const userId = await register('change@example.com');

      await accounts.changePassword({ userId, currentPassword: password, newPassword }, context);

      await expect(logIn('change@example.com', password)).resolves.toBeUndefined();
      await expect(logIn('change@example.com', newPassword)).resolves.toMatchObject({ version: 2 });
      expect((await eventsOf(userId)).map((e) => [e.eventType, e.payload])).toEqual([
        ['UserCreated', expect.anything()],
        ['UserPasswordChanged', { userId, via: 'change' }],
      ]);
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a change, when it commits, then the event and the credentials carry the instant it took effect, to the millisecond', async () => {
      const userId = await register('changed-at@example.com');
      setClock('2025-03-01T09:30:00.731Z');

      await accounts.changePassword({ userId, currentPassword: password, newPassword }, context);

      await expect(accounts.passwordChangedAt(userId)).resolves.toEqual(new Date('2025-03-01T09:30:00.731Z'));
      expect((await eventsOf(userId)).at(-1)?.occurredAt).toBe('2025-03-01T09:30:00.731Z');
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a user who never changed their password, when asked when it changed, then never', async () => {
      const userId = await register('unchanged@example.com');

      await expect(accounts.passwordChangedAt(userId)).resolves.toBeUndefined();
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a wrong current password, when changing, then CurrentPasswordIncorrect and the old password still works', async () => {
      const userId = await register('wrong-current@example.com');

      const change = accounts.changePassword({ userId, currentPassword: `${password}!`, newPassword }, context);

      await expect(change).rejects.toBeInstanceOf(CurrentPasswordIncorrect);
      await expect(logIn('wrong-current@example.com', password)).resolves.toMatchObject({ version: 1 });
      expect(await eventsOf(userId)).toHaveLength(1);
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a new password the policy refuses, when changing, then WeakPassword and nothing changes', async () => {
      const userId = await register('weak-new@example.com');

      const change = accounts.changePassword({ userId, currentPassword: password, newPassword: 'weak-new' }, context);

      await expect(change).rejects.toBeInstanceOf(WeakPassword);
      await expect(logIn('weak-new@example.com', password)).resolves.toMatchObject({ version: 1 });
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a login that verified the old password while it was being changed, when it then issues a token, then that token is refused', async () => {
      const userId = await register('racing-login@example.com');
      let releaseLogin: () => void = () => undefined;
      const loginHeld = new Promise<void>((resolve) => {
        releaseLogin = resolve;
      });
      let loginVerified: () => void = () => undefined;
      const verified = new Promise<void>((resolve) => {
        loginVerified = resolve;
      });
      // The login's hasher: it verifies the old password, then is held until the change has committed.
      const held: PasswordHasher = {
        ...passwords,
        verify: async (secret, stored) => {
          const matches = await passwords.verify(secret, stored);
          loginVerified();
          await loginHeld;
          return matches;
        },
      };
      const loginSide = createUserAccounts({ pool, store: store(), passwords: held, resetTokenTtlMs: RESET_TTL_MS });
      changesAt = () => new Date();
      const isRevoked = passwordChangeCheck(accounts);

      const login = loginSide.authenticate('racing-login@example.com', password, () => Promise.resolve(Date.now()));
      await verified;
      await accounts.changePassword({ userId, currentPassword: password, newPassword }, { correlationId: 'req-2', causationId: 'req-2' });
      releaseLogin();
      const issuedAtMs = await login;

      expect(issuedAtMs === undefined || (await isRevoked(userId, issuedAtMs))).toBe(true);
    }, SERVER_TEST_TIMEOUT_MS);

    it('given two changes at once from the same current password, when they race, then one wins and the other is incorrect', async () => {
      const userId = await register('race-change@example.com');

      const outcomes = await Promise.allSettled([
        accounts.changePassword({ userId, currentPassword: password, newPassword }, context),
        accounts.changePassword({ userId, currentPassword: password, newPassword: 'another new passphrase' }, context),
      ]);

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []))).toEqual([expect.any(CurrentPasswordIncorrect)]);
    }, SERVER_TEST_TIMEOUT_MS);
  });

  describe('changing the email address', () => {
    it('given no current password, when the email changes, then CurrentPasswordRequired and the address stays', async () => {
      const userId = await register('stay@example.com');

      await expect(accounts.updateProfile({ userId, email: 'go@example.com' }, context)).rejects.toBeInstanceOf(CurrentPasswordRequired);
      await expect(logIn('stay@example.com', password)).resolves.toMatchObject({ version: 1 });
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a wrong current password, when the email changes, then CurrentPasswordIncorrect', async () => {
      const userId = await register('stay-too@example.com');

      const update = accounts.updateProfile({ userId, email: 'gone@example.com', currentPassword: 'not it at all' }, context);

      await expect(update).rejects.toBeInstanceOf(CurrentPasswordIncorrect);
    }, SERVER_TEST_TIMEOUT_MS);

    it('given an open reset link, when the email changes, then the link sent to the old address stops working', async () => {
      const userId = await register('moving-link@example.com');
      const token = await requestedToken('moving-link@example.com', userId);

      await accounts.updateProfile({ userId, email: 'moved-link@example.com', currentPassword: password }, context);

      await expect(accounts.resetPassword({ token, newPassword }, context)).rejects.toBeInstanceOf(InvalidResetToken);
    }, SERVER_TEST_TIMEOUT_MS);
  });

  describe('asking for a reset link', () => {
    it('given an address in another case, when a reset is asked, then the event carries a 43-character token whose SHA-256 alone is stored', async () => {
      const userId = await register('reset@example.com');

      const token = await requestedToken('RESET@example.com', userId);

      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const { rows } = await pool.query<Record<string, unknown>>('select * from password_reset_tokens where user_id = $1', [userId]);
      expect(rows).toEqual([
        {
          token_hash: createHash('sha256').update(token).digest(),
          user_id: userId,
          requested_at: new Date('2025-03-01T09:30:00.250Z'),
          expires_at: new Date('2025-03-01T10:00:00.250Z'),
          used_at: null,
        },
      ]);
      expect(JSON.stringify(rows)).not.toContain(token);
    }, SERVER_TEST_TIMEOUT_MS);

    it('given an unknown address, when a reset is asked, then nothing is recorded anywhere', async () => {
      const before = await pool.query<{ events: string; tokens: string }>(
        'select (select count(*) from events) as events, (select count(*) from password_reset_tokens) as tokens',
      );

      await accounts.requestPasswordReset('nobody@example.com', context);

      const after = await pool.query('select (select count(*) from events) as events, (select count(*) from password_reset_tokens) as tokens');
      expect(after.rows).toEqual(before.rows);
    }, SERVER_TEST_TIMEOUT_MS);

    it('given an earlier link, when another is asked, then only the newer one works', async () => {
      const userId = await register('twice@example.com');
      const older = await requestedToken('twice@example.com', userId);
      const newer = await requestedToken('twice@example.com', userId);

      await expect(accounts.resetPassword({ token: older, newPassword }, context)).rejects.toBeInstanceOf(InvalidResetToken);
      await expect(accounts.resetPassword({ token: newer, newPassword }, context)).resolves.toBeUndefined();
    }, SERVER_TEST_TIMEOUT_MS);

    it('given three links within the hour, when a fourth is asked, then none is recorded and the third still works', async () => {
      const userId = await register('limit@example.com');
      for (const minute of ['00', '10', '20', '30']) await accounts.requestPasswordReset('limit@example.com', at(`2025-03-01T09:${minute}:00Z`));

      const mailed = await mailedTokens(userId);

      expect(mailed).toHaveLength(3);
      setClock('2025-03-01T09:31:00Z');
      await expect(accounts.resetPassword({ token: mailed[2] ?? '', newPassword }, context)).resolves.toBeUndefined();
    }, SERVER_TEST_TIMEOUT_MS);

    it('given ten requests for one address at once, when they race, then three are recorded and every call returns', async () => {
      const userId = await register('crowd@example.com');

      await Promise.all(Array.from({ length: 10 }, () => accounts.requestPasswordReset('crowd@example.com', context)));

      expect(await mailedTokens(userId)).toHaveLength(3);
    }, SERVER_TEST_TIMEOUT_MS);
  });

  describe('resetting with a link', () => {
    it('given a fresh link, when it is used, then the new password logs in, the token is marked used and UserPasswordChanged says reset', async () => {
      const userId = await register('confirm@example.com');
      const token = await requestedToken('confirm@example.com', userId);

      setClock('2025-03-01T09:45:00Z');
      await accounts.resetPassword({ token, newPassword }, context);

      await expect(logIn('confirm@example.com', newPassword)).resolves.toBeDefined();
      await expect(logIn('confirm@example.com', password)).resolves.toBeUndefined();
      await expect(accounts.passwordChangedAt(userId)).resolves.toEqual(new Date('2025-03-01T09:45:00Z'));
      const { rows } = await pool.query<{ used_at: Date }>('select used_at from password_reset_tokens where user_id = $1', [userId]);
      expect(rows).toEqual([{ used_at: new Date('2025-03-01T09:45:00Z') }]);
      expect((await eventsOf(userId)).at(-1)?.payload).toEqual({ userId, via: 'reset' });
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a used link, when it is used again, then InvalidResetToken', async () => {
      const userId = await register('reuse@example.com');
      const token = await requestedToken('reuse@example.com', userId);
      await accounts.resetPassword({ token, newPassword }, context);

      await expect(accounts.resetPassword({ token, newPassword: 'yet another passphrase' }, context)).rejects.toBeInstanceOf(InvalidResetToken);
      await expect(logIn('reuse@example.com', newPassword)).resolves.toBeDefined();
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a link past its expiry, when it is used, then InvalidResetToken and the password stays', async () => {
      const userId = await register('late@example.com');
      const token = await requestedToken('late@example.com', userId);

      setClock('2025-03-01T10:00:00.250Z');
      await expect(accounts.resetPassword({ token, newPassword }, context)).rejects.toBeInstanceOf(InvalidResetToken);
      await expect(logIn('late@example.com', password)).resolves.toBeDefined();
    }, SERVER_TEST_TIMEOUT_MS);

    it('given a token nobody was sent, when it is used, then InvalidResetToken', async () => {
      await expect(accounts.resetPassword({ token: 'A'.repeat(43), newPassword }, context)).rejects.toBeInstanceOf(InvalidResetToken);
    }, SERVER_TEST_TIMEOUT_MS);

    it('given an open link, when the password is changed meanwhile, then the link stops working', async () => {
      const userId = await register('changed-first@example.com');
      const token = await requestedToken('changed-first@example.com', userId);
      await accounts.changePassword({ userId, currentPassword: password, newPassword }, context);

      await expect(accounts.resetPassword({ token, newPassword: 'yet another passphrase' }, context)).rejects.toBeInstanceOf(InvalidResetToken);
    }, SERVER_TEST_TIMEOUT_MS);

    it('given one link used ten times at once, when they race, then exactly one sets the password and nine are InvalidResetToken', async () => {
      const userId = await register('concurrent@example.com');
      const token = await requestedToken('concurrent@example.com', userId);

      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => accounts.resetPassword({ token, newPassword: `${newPassword} ${i}` }, context)),
      );

      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(refused).toHaveLength(9);
      expect(refused.every((reason) => reason instanceof InvalidResetToken)).toBe(true);
      const changes = (await eventsOf(userId)).filter((e) => e.eventType === 'UserPasswordChanged');
      expect(changes).toHaveLength(1);
      await expect(logIn('concurrent@example.com', `${newPassword} ${won[0]}`)).resolves.toBeDefined();
    }, SERVER_TEST_TIMEOUT_MS);
  });
});
