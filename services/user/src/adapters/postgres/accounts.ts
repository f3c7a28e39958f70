import { type CommandResult, createCommandHandler, type EventStore, withTransaction } from '@msa/platform';
import pg from 'pg';
import { decide, userDecider } from '../../domain/decide.js';
import { emailKey } from '../../domain/email.js';
import { EmailAlreadyRegistered, UserNotFound } from '../../domain/errors.js';
import { evolve, initialState, userStream, type UserState } from '../../domain/user.js';
import type { UserAccounts, VersionedProfile } from '../../ports.js';
import type { PasswordHasher } from '../crypto/password-hasher.js';
import { EMAIL_UNIQUE_CONSTRAINT } from './schema.js';

/** Options for `createUserAccounts`. */
export interface UserAccountsOptions {
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly passwords: PasswordHasher;
}

/**
 * The write side on PostgreSQL: the platform's command handler appends each command's events inside
 * a transaction that also writes the `user_credentials` row, so the profile event, the email claim
 * and the password hash commit together or not at all.
 */
export function createUserAccounts({ pool, store, passwords }: UserAccountsOptions): UserAccounts {
  const handle = createCommandHandler({ store, decider: userDecider });

  return {
    async register(command, context) {
      // The stream is new, so deciding on the empty state is the decision the handler will repeat;
      // doing it first refuses a weak password before paying for its hash.
      decide(command, initialState());
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

    async updateProfile(command, context) {
      const { userId } = command.data;
      return withTransaction(pool, async (tx) => {
        const result = await handle(userStream(userId), command, { ...context, tx });
        const newEmail = result.events.find((event) => event.eventType === 'UserUpdated')?.payload.email;
        if (newEmail !== undefined) {
          await claimEmail(
            tx.client.query(
              'update user_credentials set email_key = $2, updated_at = now() where user_id = $1 and email_key <> $2',
              [userId, emailKey(newEmail)],
            ),
          );
        }
        return profileOf(result, userId);
      });
    },

    async authenticate(email, password) {
      const { rows } = await pool.query<{ user_id: string; password_hash: string }>(
        'select user_id, password_hash from user_credentials where email_key = $1',
        [emailKey(email)],
      );
      const [account] = rows;
      if (account === undefined) return passwords.verifyNothing(password).then(() => undefined);
      if (!(await passwords.verify(password, account.password_hash))) return undefined;
      const { events, version } = await store.readStream(userStream(account.user_id));
      const state = events.reduce((user, event) => (event.aggregateType === 'User' ? evolve(user, event) : user), initialState());
      return state.status === 'registered' ? { profile: state.profile, version } : undefined;
    },
  };
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
