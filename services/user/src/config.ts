import { env, serviceVariables, signingKeyListed, tokenSigningVariables } from '@msa/platform';
import { z } from 'zod';

/**
 * The user service's environment: what every service reads, the signing side of tokens, the admin
 * list and the reset links' lifetime. Every variable is documented in the service README.
 */
export const userConfigSchema = z
  .object({
    ...serviceVariables({ port: 8081, database: 'user' }),
    ...tokenSigningVariables(),
    ADMIN_EMAILS: env.list(z.email()).default([]),
    // Long enough to open the mail, short enough that a link found later in a mailbox is dead.
    PASSWORD_RESET_TTL: env
      .duration()
      .pipe(z.number().min(60_000, 'must be at least 1m').max(86_400_000, 'must be at most 1d'))
      .default(30 * 60_000),
  })
  .superRefine(signingKeyListed);

/** The user service's validated configuration. */
export type UserConfig = z.output<typeof userConfigSchema>;
