import { randomUUID } from 'node:crypto';
import { requireAuth, type Role, type ServiceDefinition, tokenIssuerFrom } from '@msa/platform';
import { createPasswordHasher, type ScryptCost } from './adapters/crypto/password-hasher.js';
import { userRoutes } from './adapters/http/routes.js';
import { profileQueries } from './adapters/mongo/profile-queries.js';
import { profileReadModel } from './adapters/mongo/profile-read-model.js';
import { createUserAccounts } from './adapters/postgres/accounts.js';
import { userMigrations } from './adapters/postgres/schema.js';
import { passwordChangeCheck } from './adapters/sessions/password-change-check.js';
import { sessionHandlers } from './adapters/sessions/revocations.js';
import { userConfigSchema } from './config.js';

/** Options for `userService`. */
export interface UserServiceOptions {
  /** The password hashing cost. @default DEFAULT_SCRYPT_COST */
  readonly scryptCost?: ScryptCost;
}

/**
 * The user service on the platform's kit: its routes, its read model, its migrations, its admin
 * list, its token issuer and the `user.sessions` group, which turns password changes into token
 * revocations for every service. The kit does the rest (`runService`, `createService`).
 */
export function userService({ scryptCost }: UserServiceOptions = {}): ServiceDefinition<typeof userConfigSchema> {
  return {
    name: 'user',
    version: '1.0.0',
    title: 'User service',
    config: userConfigSchema,
    migrations: userMigrations,
    readModels: { group: 'user.read-model', definitions: [profileReadModel] },
    async build({ config, pool, store, readModel, tokenRevocations }) {
      const passwords = await createPasswordHasher(scryptCost);
      const accounts = createUserAccounts({ pool, store, passwords, resetTokenTtlMs: config.PASSWORD_RESET_TTL });
      // The kit's guard with the credentials table as the revocation list instead of Redis: the
      // service that records password changes need not wait for, nor depend on, their copy there.
      const revocations = passwordChangeCheck(accounts);
      const { JWT_PUBLIC_KEYS: keys, JWT_ISSUER: issuer, JWT_AUDIENCE: audience } = config;
      const verified = (roles: readonly Role[] = []) => requireAuth({ keys, issuer, audience, roles, revocations });
      return {
        routes: userRoutes({
          accounts,
          profiles: profileQueries(readModel(profileReadModel)),
          tokens: await tokenIssuerFrom(config),
          authenticated: verified(),
          adminOnly: verified(['admin']),
          adminEmails: config.ADMIN_EMAILS,
          newUserId: randomUUID,
        }),
        consumers: [{ group: 'user.sessions', handlers: sessionHandlers(tokenRevocations) }],
      };
    },
  };
}
