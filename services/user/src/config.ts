import { env, serviceVariables, signingKeyListed, tokenSigningVariables } from '@msa/platform';
import { z } from 'zod';

/**
 * The user service's environment: what every service reads, the signing side of tokens, and the
 * admin list. Every variable is documented in the service README.
 */
export const userConfigSchema = z
  .object({
    ...serviceVariables({ port: 8081, database: 'user' }),
    ...tokenSigningVariables(),
    ADMIN_EMAILS: env.list(z.email()).default([]),
  })
  .superRefine(signingKeyListed);

/** The user service's validated configuration. */
export type UserConfig = z.output<typeof userConfigSchema>;
