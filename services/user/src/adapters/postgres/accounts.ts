import { type EventStore, handleCommand, type Transaction, withTransaction } from '@msa/platform';
import pg from 'pg';
import { decide, type RegisterUser, type UpdateProfile, type UserCommand } from '../../domain/decide.js';
import { emailKey } from '../../domain/email.js';
import { EmailAlreadyRegistered, UserNotFound } from '../../domain/errors.js';
import { evolve, fold, initialState, type UserState } from '../../domain/user.js';
import type { CommandContext, UserAccounts, VersionedProfile } from '../../ports.js';
import type { PasswordHasher } from '../crypto/password-hasher.js';
import { EMAIL_UNIQUE_CONSTRAINT } from './schema.js';

/** The event stream of one user. */
export function userStream(userId: string): string {
  return `user-${userId}`;
}

const userDecider = {
  aggregateType: 'User',
  initialState: () => initialState,
  evolve,
  decide,
} as const;

/** Options for `createUserAccounts`. */
export interface UserAccountsOptions {
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly passwords: PasswordHasher;
}

/**
 * The write side on PostgreSQL: each command is decided against the user's stream and appended by the
 * platform's command handler inside a transaction that also writes the `user_credentials` row, so the
 * profile event, the email reservation and the password hash commit together or not at all.
 */
export function createUserAccounts({ pool, store, passwords }: UserAccountsOptions): UserAccounts {
  // The event time is the request's, as the HTTP adapter stamped it, not the moment of the append.
  const handle = (command: UserCommand, userId: string, context: CommandContext, tx: Transaction) =>
    handleCommand<UserState, UserCommand, 'User'>(store, userStream(userId), userDecider, {
      clock: () => context.occurredAt,
    })(command, { correlationId: context.correlationId, causationId: context.causationId, tx });

  async function load(userId: string): Promise<VersionedProfile | undefined> {
    const { events, version } = await store.readStream(userStream(userId));
    const state = fold(events.filter((event) => event.aggregateType === 'User'));
    return state.status === 'registered' ? { profile: state.profile, version } : undefined;
  }

  return {
    async register(command: RegisterUser, context: CommandContext) {
      // The stream is new, so deciding on the empty state is the decision the handler will repeat;
      // doing it first refuses a weak password before paying for its hash.
      decide(command, initialState);
      const passwordHash = await passwords.hash(command.data.password);
      const { userId, email } = command.data;
      return withTransaction(pool, async (tx) => {
        const result = await handle(command, userId, context, tx);
        await reserveEmail(() =>
          tx.client.query(
            'insert into user_credentials (user_id, email_key, password_hash) values ($1, $2, $3)',
            [userId, emailKey(email), passwordHash],
          ),
        );
        return profileOf(result.state, result.nextExpectedVersion, userId);
      });
    },

    async updateProfile(command: UpdateProfile, context: CommandContext) {
      const { userId } = command.data;
      return withTransaction(pool, async (tx) => {
        const result = await handle(command, userId, context, tx);
        const newEmail = result.events.find((event) => event.eventType === 'UserUpdated')?.payload.email;
        if (newEmail !== undefined) {
          await reserveEmail(() =>
            tx.client.query(
              'update user_credentials set email_key = $2, updated_at = now() where user_id = $1 and email_key <> $2',
              [userId, emailKey(newEmail)],
            ),
          );
        }
        return profileOf(result.state, result.nextExpectedVersion, userId);
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
      return load(account.user_id);
    },
  };
}

function profileOf(state: UserState, version: number, userId: string): VersionedProfile {
  if (state.status !== 'registered') throw new UserNotFound(userId);
  return { profile: state.profile, version };
}

/** Runs the statement that claims an address, reporting a taken one in domain terms. */
async function reserveEmail(claim: () => Promise<unknown>): Promise<void> {
  try {
    await claim();
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.constraint === EMAIL_UNIQUE_CONSTRAINT) {
      throw new EmailAlreadyRegistered();
    }
    throw error;
  }
}
