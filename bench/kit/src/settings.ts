import { env, loadConfig } from '@msa/platform';
import { z } from 'zod';
import { localPlatform, type Platform } from './platform.js';

const rates = z
  .string()
  .transform((raw) => raw.split(',').map((part) => Number(part.trim())))
  .pipe(z.array(z.number().int().min(1).max(10_000)).min(1, 'expected at least one rate'));

/**
 * The variables every ramped bench reads: its ladder of rates, the shop the orders spread over,
 * pgbench's baseline. Each bench adds its own (step lengths differ) beside them.
 */
export const rampVariables = {
  /** The offered rates (orders/s) of the ramp, in order (steps of about √2); the ramp stops at the first one not sustained. */
  BENCH_RATES: rates.default([3, 4, 5, 7, 10, 14, 20, 28, 40, 56, 80, 113, 160, 226]),
  /** How many times the gap between the last rate sustained and the first one not is halved, to place the maximum. */
  BENCH_REFINE_STEPS: env.integer({ min: 0, max: 10 }).default(2),
  /** How long each rate of the ramp is offered. */
  BENCH_STEP_SECONDS: env.integer({ min: 1, max: 600 }).default(20),
  /** Products the orders spread over (one line of one unit each), each stocked for the whole run. */
  BENCH_PRODUCTS: env.integer({ min: 1, max: 1_000 }).default(20),
  /** Customers signed up on the user service, the orders spread over them. */
  BENCH_CUSTOMERS: env.integer({ min: 1, max: 1_000 }).default(20),
  /** pgbench's clients and duration for the append-plus-inbox baseline. */
  BENCH_PGBENCH_CLIENTS: env.integer({ min: 1, max: 200 }).default(8),
  BENCH_PGBENCH_SECONDS: env.integer({ min: 1, max: 600 }).default(15),
  /** The pgbench binary; by default the one of the local PostgreSQL. */
  PGBENCH: z.string().min(1).optional(),
};

/** A bench's settings, where the platform `npm start` runs is, and the pgbench binary. */
export type BenchSettings<S extends z.ZodType> = z.output<S> & Platform & { readonly pgbench: string };

/** Reads a bench's settings once, at start-up (exiting on a bad variable as `loadConfig` does). */
export function loadBenchSettings<S extends z.ZodObject>(schema: S): BenchSettings<S> {
  const settings = loadConfig(schema) as z.output<S> & { readonly PGBENCH?: string | undefined };
  const platform = localPlatform();
  return { ...settings, ...platform, pgbench: settings.PGBENCH ?? `/usr/lib/postgresql/${platform.postgresMajor}/bin/pgbench` };
}
