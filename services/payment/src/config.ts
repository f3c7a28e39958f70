import { env, serviceVariables } from '@msa/platform';
import { z } from 'zod';

/** A fraction from 0 to 1, such as `0.1`. */
const fraction = z.string().transform((raw, ctx) => {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    ctx.addIssue({ code: 'custom', message: `expected a number from 0 to 1, got "${raw}"` });
    return z.NEVER;
  }
  return value;
});

/**
 * The payment service's environment: what every service reads, which gateway charges and how long
 * a call may take, the sandbox's behaviour, and how the worker paces and retries its calls. Every
 * variable is documented in the service README.
 */
export const paymentConfigSchema = z
  .object({
    ...serviceVariables({ port: 8084, database: 'payment' }),
    /** `sandbox` (the local default, a provider's test mode kept in PostgreSQL) or `stripe`. */
    PAYMENT_GATEWAY: z.enum(['sandbox', 'stripe']).default('sandbox'),
    /** The longest one gateway call may take; past it the outcome is unknown and the call is retried. */
    PAYMENT_GATEWAY_TIMEOUT: env
      .duration()
      .refine((ms) => ms >= 1 && ms <= 120_000, 'expected from 1ms to 2m')
      .default(10_000),
    /** Stripe's secret key; required with `PAYMENT_GATEWAY=stripe`. */
    STRIPE_API_KEY: env.secret().optional(),
    /** Where Stripe's API is, such as a local stripe-mock at http://127.0.0.1:12111; required with `PAYMENT_GATEWAY=stripe`. */
    STRIPE_API_BASE: env.url({ protocols: ['http:', 'https:'] }).optional(),
    /** The sandbox's added latency per call. */
    PAYMENT_SANDBOX_LATENCY: env.duration().default(0),
    /** The share of sandbox calls that fail with a transient error before doing anything. */
    PAYMENT_SANDBOX_ERROR_RATE: fraction.default(0),
    PAYMENT_WORKER_POLL_INTERVAL: env.duration().default(1_000),
    PAYMENT_WORKER_BATCH_SIZE: env.integer({ min: 1, max: 200 }).default(10),
    PAYMENT_MAX_ATTEMPTS: env.integer({ min: 1, max: 50 }).default(5),
    PAYMENT_BACKOFF_BASE: env.duration().default(2_000),
    PAYMENT_BACKOFF_MAX: env.duration().default(60_000),
    PAYMENT_LEASE: env.duration().default(60_000),
  })
  .superRefine((config, ctx) => {
    if (config.PAYMENT_GATEWAY === 'stripe') {
      for (const variable of ['STRIPE_API_KEY', 'STRIPE_API_BASE'] as const) {
        if (config[variable] === undefined) ctx.addIssue({ code: 'custom', path: [variable], message: 'is required with PAYMENT_GATEWAY=stripe' });
      }
    }
    if (config.PAYMENT_BACKOFF_MAX < config.PAYMENT_BACKOFF_BASE) {
      ctx.addIssue({ code: 'custom', path: ['PAYMENT_BACKOFF_MAX'], message: 'must be at least PAYMENT_BACKOFF_BASE' });
    }
    // A claim that ends while its call may still be running would let a second worker call too: the
    // key keeps that to one charge, but the two would race to record it.
    if (config.PAYMENT_LEASE <= config.PAYMENT_GATEWAY_TIMEOUT) {
      ctx.addIssue({ code: 'custom', path: ['PAYMENT_LEASE'], message: 'must be longer than PAYMENT_GATEWAY_TIMEOUT' });
    }
  });

/** The payment service's validated configuration. */
export type PaymentConfig = z.output<typeof paymentConfigSchema>;
