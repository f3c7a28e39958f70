import {
  env,
  inboxPruningVariables,
  loadConfig,
  mongoVariables,
  outboxRelayVariables,
  toVerificationJwk,
  type VerificationJwk,
} from '@msa/platform';
import { z } from 'zod';

const hostPort = z.string().regex(/^[\w.-]+:\d{1,5}$/, 'expected host:port');

/** What both the service and the rebuild command read: the stores and the log level. */
const storeVariables = {
  DATABASE_URL: env.secret(env.url({ protocols: ['postgres:', 'postgresql:'] })),
  ...mongoVariables,
  MONGO_DATABASE: z.string().regex(/^[\w-]{1,63}$/, 'expected a database name of letters, digits, _ or -').default('user'),
  LOG_LEVEL: env.logLevel().default('info'),
};

/** The user service's environment; every variable is documented in the service README. */
export const userConfigSchema = z
  .object({
    ...storeVariables,
    ...inboxPruningVariables,
    ...outboxRelayVariables,
    PORT: env.port().default(8081),
    KAFKA_BROKERS: env.list(hostPort),
    JWT_PRIVATE_KEY: env.signingKey(),
    JWT_PUBLIC_KEYS: env.verificationKeys(),
    JWT_ISSUER: z.string().min(1).default('msa-ecommerce/user'),
    JWT_AUDIENCE: z.string().min(1).default('msa-ecommerce'),
    JWT_TTL: env.duration().default(60 * 60 * 1000),
    ADMIN_EMAILS: env.list(z.email()).default([]),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.url({ protocols: ['http:', 'https:'] }).optional(),
  })
  .superRefine((config, ctx) => {
    // Tokens this service signs must verify with the key set it and every other service trusts.
    const signing = toVerificationJwk(config.JWT_PRIVATE_KEY.reveal());
    const listed = config.JWT_PUBLIC_KEYS.keys.find((key) => key.kid === signing.kid);
    if (listed === undefined || !samePublicKey(listed, signing)) {
      const message = `must include the public half of JWT_PRIVATE_KEY under its kid "${signing.kid}"`;
      ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEYS'], message });
    }
  });

function samePublicKey(a: VerificationJwk, b: VerificationJwk): boolean {
  if (a.kty === 'OKP') return b.kty === 'OKP' && a.x === b.x;
  return b.kty === 'EC' && a.x === b.x && a.y === b.y;
}

/** The user service's validated configuration. */
export type UserConfig = z.output<typeof userConfigSchema>;

/**
 * Reads the configuration once, at start-up.
 *
 * @throws ConfigError naming every bad variable.
 */
export function loadUserConfig(source: Readonly<Record<string, string | undefined>> = process.env): UserConfig {
  return loadConfig(userConfigSchema, source);
}

/** The rebuild command's environment: only the stores it reads and writes. */
export const rebuildConfigSchema = z.object(storeVariables);

/** The rebuild command's validated configuration. */
export type RebuildConfig = z.output<typeof rebuildConfigSchema>;

/**
 * Reads the rebuild command's configuration.
 *
 * @throws ConfigError naming every bad variable.
 */
export function loadRebuildConfig(source: Readonly<Record<string, string | undefined>> = process.env): RebuildConfig {
  return loadConfig(rebuildConfigSchema, source);
}
