import { env, serviceVariables } from '@msa/platform';
import { z } from 'zod';
import { channelVariables, vapidKeysPaired } from './adapters/channels/config.js';

/**
 * The notification service's environment: what every service reads, the channels' settings, where
 * alerts and links go, and how the sender paces itself. Every variable is documented in the service README.
 */
export const notificationConfigSchema = z
  .object({
    ...serviceVariables({ port: 8086, database: 'notification' }),
    /** Who receives the low-stock alerts. */
    ADMIN_ALERT_EMAILS: env.list(z.email()).default([]),
    /** The shop's web address; password reset links point into it. */
    APP_BASE_URL: env.url({ protocols: ['http:', 'https:'] }).transform((url) => url.replace(/\/+$/, '')),
    ...channelVariables,
    /** Accept `http:` push endpoints on a loopback host, for a local push service; never in production. */
    PUSH_ALLOW_LOOPBACK_HTTP: env.boolean().default(false),
    SENDER_POLL_INTERVAL: env.duration().default(1_000),
    SENDER_BATCH_SIZE: env.integer({ min: 1, max: 500 }).default(20),
    SENDER_MAX_ATTEMPTS: env.integer({ min: 1, max: 50 }).default(10),
    SENDER_BACKOFF_BASE: env.duration().default(15_000),
    SENDER_BACKOFF_MAX: env.duration().default(900_000),
    SENDER_ATTEMPT_TIMEOUT: env.duration().default(30_000),
    SENDER_LEASE: env.duration().default(120_000),
  })
  .superRefine(vapidKeysPaired)
  .superRefine((config, ctx) => {
    if (config.SENDER_BACKOFF_MAX < config.SENDER_BACKOFF_BASE) {
      ctx.addIssue({ code: 'custom', path: ['SENDER_BACKOFF_MAX'], message: 'must be at least SENDER_BACKOFF_BASE' });
    }
    // A claim that ends while its attempt may still be running would let a second sender send it too.
    if (config.SENDER_LEASE <= config.SENDER_ATTEMPT_TIMEOUT) {
      ctx.addIssue({ code: 'custom', path: ['SENDER_LEASE'], message: 'must be longer than SENDER_ATTEMPT_TIMEOUT' });
    }
  });

/** The notification service's validated configuration. */
export type NotificationConfig = z.output<typeof notificationConfigSchema>;
