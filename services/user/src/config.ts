import { env, loadConfig, serviceVariables, toVerificationJwk, type VerificationJwk } from '@msa/platform';
import { z } from 'zod';

/**
 * The user service's environment: what every service reads, plus the signing side of tokens and the
 * admin list. Every variable is documented in the service README.
 */
export const userConfigSchema = z
  .object({
    ...serviceVariables({ port: 8081, database: 'user' }),
    JWT_PRIVATE_KEY: env.signingKey(),
    JWT_TTL: env.duration().default(60 * 60 * 1000),
    ADMIN_EMAILS: env.list(z.email()).default([]),
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
