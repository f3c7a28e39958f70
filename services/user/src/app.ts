import { randomUUID } from 'node:crypto';
import { type ServiceDefinition, tokenIssuerFrom } from '@msa/platform';
import { createPasswordHasher, type ScryptCost } from './adapters/crypto/password-hasher.js';
import { issuedAfterPasswordChange } from './adapters/http/current-token.js';
import { userRoutes } from './adapters/http/routes.js';
import { profileQueries } from './adapters/mongo/profile-queries.js';
import { profileReadModel } from './adapters/mongo/profile-read-model.js';
import { createUserAccounts } from './adapters/postgres/accounts.js';
import { userMigrations } from './adapters/postgres/schema.js';
import { userConfigSchema } from './config.js';

/** Options for `userService`. */
export interface UserServiceOptions {
  /** The password hashing cost. @default DEFAULT_SCRYPT_COST */
  readonly scryptCost?: ScryptCost;
}

/**
 * The user service on the platform's kit: its routes, its read model, its migrations, its admin
 * list and its token issuer. The kit does the rest (`runService`, `createService`).
 */
export function userService({ scryptCost }: UserServiceOptions = {}): ServiceDefinition<typeof userConfigSchema> {
  return {
    name: 'user',
    version: '1.0.0',
    title: 'User service',
    config: userConfigSchema,
    migrations: userMigrations,
    readModels: { group: 'user.read-model', definitions: [profileReadModel] },
    async build({ config, pool, store, readModel, requireAuth }) {
      const passwords = await createPasswordHasher(scryptCost);
      const accounts = createUserAccounts({ pool, store, passwords, resetTokenTtlMs: config.PASSWORD_RESET_TTL });
      return {
        routes: userRoutes({
          accounts,
          profiles: profileQueries(readModel(profileReadModel)),
          tokens: await tokenIssuerFrom(config),
          authenticated: issuedAfterPasswordChange(requireAuth(), accounts),
          adminOnly: issuedAfterPasswordChange(requireAuth(['admin']), accounts),
          adminEmails: config.ADMIN_EMAILS,
          newUserId: randomUUID,
        }),
      };
    },
  };
}
