import { env, serviceVariables } from '@msa/platform';
import { z } from 'zod';

const atLeastOneSecond = (ms: number) => ms >= 1_000 && ms <= 86_400_000;

/**
 * The order service's environment: what every service reads, the saga's deadlines, how often its
 * timers are looked at, and the bounds of a listing page. Every variable is documented in the service README.
 */
export const orderConfigSchema = z
  .object({
    ...serviceVariables({ port: 8083, database: 'order' }),
    /** How long the saga waits for inventory's reservation outcome before it cancels the order. */
    ORDER_RESERVATION_TIMEOUT: env.duration().refine(atLeastOneSecond, 'expected from 1s to 1d').default(60_000),
    /** How long the saga waits for payment's outcome after confirming the order before it cancels it. */
    ORDER_PAYMENT_TIMEOUT: env.duration().refine(atLeastOneSecond, 'expected from 1s to 1d').default(300_000),
    /** How often the deadline worker looks for due timers: how late past its deadline an order may be cancelled. */
    ORDER_DEADLINE_POLL_INTERVAL: env.duration().refine((ms) => ms >= 10 && ms <= 60_000, 'expected from 10ms to 1m').default(1_000),
    /** How long a timer whose firing failed waits before it is tried again. */
    ORDER_DEADLINE_RETRY_DELAY: env.duration().refine((ms) => ms >= 100 && ms <= 3_600_000, 'expected from 100ms to 1h').default(30_000),
    /** Orders on a listing page when the request names no `limit`. */
    ORDER_PAGE_SIZE: env.integer({ min: 1, max: 100 }).default(20),
    /** The largest `limit` a listing request may ask for. */
    ORDER_MAX_PAGE_SIZE: env.integer({ min: 1, max: 100 }).default(100),
  })
  .refine((config) => config.ORDER_PAGE_SIZE <= config.ORDER_MAX_PAGE_SIZE, {
    path: ['ORDER_PAGE_SIZE'],
    message: 'must not exceed ORDER_MAX_PAGE_SIZE',
  });

/** The order service's validated configuration. */
export type OrderConfig = z.output<typeof orderConfigSchema>;
