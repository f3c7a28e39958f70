import { type CommandResult, createCommandHandler, type EventStore, type Transaction, withTransaction } from '@msa/platform';
import pg from 'pg';
import { type CurrentPasswordCheck, decide, type ResetPassword, type UserCommand, userDecider } from '../../domain/decide.js';
import { emailKey } from '../../domain/email.js';
import { EmailAlreadyRegistered, InvalidResetToken, UserNotFound } from '../../domain/errors.js';
import { evolve, initialState, userStream, type UserState } from '../../domain/user.js';
import type { UserAccounts, VersionedProfile } from '../../ports.js';
import type { PasswordHasher } from '../crypto/password-hasher.js';
import { newResetToken, resetTokenHash } from '../crypto/reset-tokens.js';
import { EMAIL_UNIQUE_CONSTRAINT } from './schema.js';

/** Options for `createUserAccounts`. */
export interface UserAccountsOptions {
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly passwords: PasswordHasher;
  /** How long a reset link works, in milliseconds (`PASSWORD_RESET_TTL`). */
  readonly resetTokenTtlMs: number;
  /** @default newResetToken */
  readonly newToken?: () => string;
  /**
   * The instant a password change takes effect, read once the account's row is locked rather than at
   * the request's start, so no login that verified the old password issues a token after it.
   * @default () => new Date()
   */
  readonly clock?: () => Date;
}

/** A current password the caller gave, checked against the hash it was compared with. */
interface CheckedPassword {
  readonly check: CurrentPasswordCheck;
  /** The stored hash it was checked against; the check holds only while the row still has it. */
  readonly against?: string;
}

/**
 * The write side on PostgreSQL: the platform's command handler appends each command's events inside
 * a transaction that also writes `user_credentials` (and `password_reset_tokens`), so an event and
 * the credentials it speaks of commit together or not at all. Every transaction that changes a
 * password takes the account's credentials row first (`for update`), so the commands on one account
 * take turns, always locking in the same order.
 */
export function createUserAccounts({
  pool,
  store,
  passwords,
  resetTokenTtlMs,
  newToken = newResetToken,
  clock = () => new Date(),
}: UserAccountsOptions): UserAccounts {
  const handle = createCommandHandler({ store, decider: userDecider });

  async function readUser(userId: string): Promise<{ state: UserState; version: number }> {
    const { events, version } = await store.readStream(userStream(userId));
    return { state: events.reduce((user, event) => (event.aggregateType === 'User' ? evolve(user, event) : user), initialState()), version };
  }

  /**
   * Decides on the committed state before the transaction, so a refused command costs no hash and no
   * transaction; the handler decides again on the state it reads inside it.
   */
  async function refuseEarly(userId: string, command: UserCommand): Promise<void> {
    decide(command, (await readUser(userId)).state, { now: clock() });
  }

  async function checkCurrent(userId: string, password: string | undefined): Promise<CheckedPassword> {
    if (password === undefined) return { check: 'missing' };
    const { rows } = await pool.query<{ password_hash: string }>('select password_hash from user_credentials where user_id = $1', [userId]);
    const stored = rows[0]?.password_hash;
    if (stored === undefined) return passwords.verifyNothing(password).then(() => ({ check: 'incorrect' }));
    return { check: (await passwords.verify(password, stored)) ? 'correct' : 'incorrect', against: stored };
  }

  /** Locks the account's credentials row; a password checked before is still right only if the hash is unchanged. */
  async function lockCredentials(tx: Transaction, userId: string, checked?: CheckedPassword): Promise<CurrentPasswordCheck> {
    const { rows } = await tx.client.query<{ password_hash: string }>(
      'select password_hash from user_credentials where user_id = $1 for update',
      [userId],
    );
    if (checked === undefined || checked.check === 'missing') return 'missing';
    return rows[0]?.password_hash === checked.against ? checked.check : 'incorrect';
  }

  /** Stores the new hash and the change's time, and retires the account's open reset links. */
  async function replacePassword(tx: Transaction, userId: string, passwordHash: string, result: CommandResult<UserState, 'User'>) {
    const changedAt = result.events.find((event) => event.eventType === 'UserPasswordChanged')?.occurredAt;
    if (changedAt === undefined) throw new Error(`a password change of user ${userId} recorded no UserPasswordChanged`);
    await tx.client.query(
      'update user_credentials set password_hash = $2, password_changed_at = $3, updated_at = now() where user_id = $1',
      [userId, passwordHash, changedAt],
    );
    await retireOpenResetTokens(tx, userId);
  }

  return {
    async register(command, context) {
      // The stream is new, so deciding on the empty state is the decision the handler will repeat;
      // doing it first refuses a weak password before paying for its hash.
      decide(command, initialState(), { now: context.now ?? new Date() });
      const passwordHash = await passwords.hash(command.data.password);
      const { userId, email } = command.data;
      return withTransaction(pool, async (tx) => {
        const result = await handle(userStream(userId), command, { ...context, tx });
        await claimEmail(
          tx.client.query('insert into user_credentials (user_id, email_key, password_hash) values ($1, $2, $3)', [
            userId,
            emailKey(email),
            passwordHash,
          ]),
        );
        return profileOf(result, userId);
      });
    },

    async updateProfile({ currentPassword, ...fields }, context) {
      const { userId } = fields;
      const checked = await checkCurrent(userId, currentPassword);
      return withTransaction(pool, async (tx) => {
        const check = await lockCredentials(tx, userId, checked);
        const command = { type: 'UpdateProfile', data: { ...fields, currentPassword: check } } as const;
        const result = await handle(userStream(userId), command, { ...context, tx });
        const newEmail = result.events.find((event) => event.eventType === 'UserUpdated')?.payload.email;
        if (newEmail !== undefined) {
          await claimEmail(
            tx.client.query(
              'update user_credentials set email_key = $2, updated_at = now() where user_id = $1 and email_key <> $2',
              [userId, emailKey(newEmail)],
            ),
          );
          // A link mailed to the old address must not outlive the move away from it.
          await retireOpenResetTokens(tx, userId);
        }
        return profileOf(result, userId);
      });
    },

    async authenticate(email, password, issue) {
      const { rows } = await pool.query<{ user_id: string; password_hash: string }>(
        'select user_id, password_hash from user_credentials where email_key = $1',
        [emailKey(email)],
      );
      const [account] = rows;
      if (account === undefined) return passwords.verifyNothing(password).then(() => undefined);
      if (!(await passwords.verify(password, account.password_hash))) return undefined;
      const { state, version } = await readUser(account.user_id);
      if (state.status !== 'registered') return undefined;
      const issued = await issue({ profile: state.profile, version });
      // Read again after issuing, waiting for a change that holds the row: either the change takes
      // effect after this read (so after the token, which it then retires), or this read sees the
      // new hash and the token, made for the old password, is dropped.
      const { rows: now } = await pool.query<{ password_hash: string }>(
        'select password_hash from user_credentials where user_id = $1 for share',
        [account.user_id],
      );
      return now[0]?.password_hash === account.password_hash ? issued : undefined;
    },

    async changePassword({ userId, currentPassword, newPassword }, context) {
      const checked = await checkCurrent(userId, currentPassword);
      await refuseEarly(userId, { type: 'ChangePassword', data: { userId, currentPassword: checked.check, newPassword } });
      const passwordHash = await passwords.hash(newPassword);
      return withTransaction(pool, async (tx) => {
        const check = await lockCredentials(tx, userId, checked);
        const command = { type: 'ChangePassword', data: { userId, currentPassword: check, newPassword } } as const;
        const result = await handle(userStream(userId), command, { ...context, now: clock(), tx });
        await replacePassword(tx, userId, passwordHash, result);
        return profileOf(result, userId);
      });
    },

    async requestPasswordReset(email, context) {
      await withTransaction(pool, async (tx) => {
        const { rows } = await tx.client.query<{ user_id: string }>(
          'select user_id from user_credentials where email_key = $1 for update',
          [emailKey(email)],
        );
        const userId = rows[0]?.user_id;
        if (userId === undefined) return;
        const resetToken = newToken();
        const command = { type: 'RequestPasswordReset', data: { userId, resetToken, ttlMs: resetTokenTtlMs } } as const;
        const result = await handle(userStream(userId), command, { ...context, tx });
        const requested = result.events.find((event) => event.eventType === 'PasswordResetRequested');
        if (requested === undefined) return;
        // One link works at a time: the newest request supersedes every earlier one, used or not.
        await tx.client.query('delete from password_reset_tokens where user_id = $1', [userId]);
        await tx.client.query(
          'insert into password_reset_tokens (token_hash, user_id, requested_at, expires_at) values ($1, $2, $3, $4)',
          [resetTokenHash(resetToken), userId, requested.occurredAt, requested.payload.expiresAt],
        );
      });
    },

    async resetPassword({ token, newPassword }, context) {
      const tokenHash = resetTokenHash(token);
      const found = await findResetToken(pool, tokenHash);
      if (found === undefined) throw new InvalidResetToken();
      const { userId } = found;
      await refuseEarly(userId, resetCommand(found, newPassword));
      const passwordHash = await passwords.hash(newPassword);
      await withTransaction(pool, async (tx) => {
        await lockCredentials(tx, userId);
        // Locked, and read again: of concurrent uses of one token, the later ones wait here and
        // then find it used (or superseded by a newer request).
        const locked = await findResetToken(tx.client, tokenHash, 'for update');
        if (locked === undefined) throw new InvalidResetToken();
        const now = clock();
        const result = await handle(userStream(userId), resetCommand(locked, newPassword), { ...context, now, tx });
        await tx.client.query('update password_reset_tokens set used_at = $2 where token_hash = $1', [tokenHash, now]);
        await replacePassword(tx, userId, passwordHash, result);
      });
    },

    async passwordChangedAt(userId) {
      const { rows } = await pool.query<{ password_changed_at: Date | null }>(
        'select password_changed_at from user_credentials where user_id = $1',
        [userId],
      );
      return rows[0]?.password_changed_at ?? undefined;
    },
  };
}

/** A reset token's row, as the reset decides on it. */
interface ResetTokenRow {
  readonly userId: string;
  readonly expiresAt: Date;
  readonly used: boolean;
}

async function findResetToken(db: pg.Pool | pg.ClientBase, tokenHash: Buffer, lock: '' | 'for update' = ''): Promise<ResetTokenRow | undefined> {
  const { rows } = await db.query<{ user_id: string; expires_at: Date; used_at: Date | null }>(
    `select user_id, expires_at, used_at from password_reset_tokens where token_hash = $1 ${lock}`,
    [tokenHash],
  );
  const [row] = rows;
  return row === undefined ? undefined : { userId: row.user_id, expiresAt: row.expires_at, used: row.used_at !== null };
}

function resetCommand({ userId, expiresAt, used }: ResetTokenRow, newPassword: string): ResetPassword {
  return { type: 'ResetPassword', data: { userId, resetToken: { expiresAt, used }, newPassword } };
}

function retireOpenResetTokens(tx: Transaction, userId: string): Promise<unknown> {
  return tx.client.query('delete from password_reset_tokens where user_id = $1 and used_at is null', [userId]);
}

function profileOf({ state, nextExpectedVersion }: CommandResult<UserState, 'User'>, userId: string): VersionedProfile {
  if (state.status !== 'registered') throw new UserNotFound(userId);
  return { profile: state.profile, version: nextExpectedVersion };
}

/** Awaits the statement that claims an address, reporting a taken one in domain terms. */
async function claimEmail(claim: Promise<unknown>): Promise<void> {
  try {
    await claim;
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.constraint === EMAIL_UNIQUE_CONSTRAINT) throw new EmailAlreadyRegistered();
    throw error;
  }
}
