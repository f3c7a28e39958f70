import { ConfigError } from '../config/config-error.js';
import { toVerificationJwk } from '../config/jwk.js';
import { generateSigningKey } from '../http/auth/keys.js';

/**
 * The problems a configuration load reports, for specs of a service's `config.ts`.
 *
 * @throws Error when the load accepted the configuration, or failed with something else.
 */
export function configProblems(load: () => unknown): ConfigError['problems'] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

/** Options for `serviceEnvironment`. */
export interface ServiceEnvironmentOptions {
  /** The service's database name in `DATABASE_URL`. */
  readonly database: string;
  /** Adds `JWT_PRIVATE_KEY` with a fresh key of this kid, listed in `JWT_PUBLIC_KEYS`: a service that signs tokens. */
  readonly signingKid?: string;
}

/**
 * The variables every service requires (`serviceVariables`), pointing at the local servers, with a
 * fresh verification key set; with `signingKid`, also the signing key a token issuer needs.
 */
export async function serviceEnvironment({ database, signingKid }: ServiceEnvironmentOptions): Promise<Record<string, string>> {
  const key = await generateSigningKey({ kid: signingKid ?? `${database}-test` });
  return {
    DATABASE_URL: `postgres://msa:msa@127.0.0.1:15432/${database}`,
    KAFKA_BROKERS: '127.0.0.1:19092',
    MONGO_URL: 'mongodb://127.0.0.1:27027/',
    ...(signingKid === undefined ? {} : { JWT_PRIVATE_KEY: JSON.stringify(key) }),
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
  };
}
