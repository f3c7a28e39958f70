import { localPlatform, SERVICES, type Platform } from '@msa/bench-kit';
import { env, loadConfig } from '@msa/platform';
import { z } from 'zod';

const rates = z
  .string()
  .transform((raw) => raw.split(',').map((part) => Number(part.trim())))
  .pipe(z.array(z.number().int().min(1).max(10_000)).min(1, 'expected at least one rate'));

const builds = z
  .string()
  .transform((raw) => raw.split(',').map((part) => part.trim().toUpperCase()))
  .pipe(z.array(z.enum(['A', 'B', 'C'])).min(1, 'expected at least one of A, B, C'));

const schema = z.object({
  /** Which parts run: A the ceilings, B the naive baseline, C the platform as it is. */
  BENCH_PARTS: builds.default(['A', 'B', 'C']),
  /** The ramp's ladder (orders/s, steps of about √2); C starts at the highest rung B sustained. */
  BENCH_RATES: rates.default([3, 4, 5, 7, 10, 14, 20, 28, 40, 56, 80, 113, 160, 226]),
  /** How many times the gap between the last rate sustained and the first one not is halved. */
  BENCH_REFINE_STEPS: env.integer({ min: 0, max: 10 }).default(2),
  /** How long each rate of the ramp is offered. */
  BENCH_STEP_SECONDS: env.integer({ min: 1, max: 600 }).default(20),
  /** How long the step at 70 % of the maximum rate runs, so its p99 rests on a few hundred orders. */
  BENCH_LATENCY_SECONDS: env.integer({ min: 1, max: 1_800 }).default(40),
  /** How long after a step's last order the bench waits for the stragglers' terminal states. */
  BENCH_SETTLE_SECONDS: env.integer({ min: 1, max: 600 }).default(20),
  /** Longest wait before each step for the backlog the step before left (consumer and outbox lag), so no step pays for another. */
  BENCH_DRAIN_SECONDS: env.integer({ min: 0, max: 600 }).default(90),
  BENCH_PRODUCTS: env.integer({ min: 1, max: 1_000 }).default(20),
  BENCH_CUSTOMERS: env.integer({ min: 1, max: 1_000 }).default(20),
  /** pgbench's clients and duration for the append-plus-inbox ceiling. */
  BENCH_PGBENCH_CLIENTS: env.integer({ min: 1, max: 200 }).default(8),
  BENCH_PGBENCH_SECONDS: env.integer({ min: 1, max: 600 }).default(15),
  /** Records Kafka's perf tools write and then read on the bench's topic, and each one's bytes. */
  BENCH_KAFKA_RECORDS: env.integer({ min: 1_000, max: 100_000_000 }).default(100_000),
  BENCH_KAFKA_RECORD_BYTES: env.integer({ min: 1, max: 1_000_000 }).default(1_024),
  /** A service restarted with `--cpu-prof` for C's latency step; its top self-time functions are printed. */
  BENCH_PROFILE: z.enum(SERVICES).optional(),
  /** The pgbench binary; by default the one of the local PostgreSQL. */
  PGBENCH: z.string().min(1).optional(),
});

/** What one run measures, and where the platform `npm start` runs is. */
export interface Settings extends z.output<typeof schema>, Platform {
  readonly pgbench: string;
}

/** Reads the bench's settings once, at start-up. */
export function loadSettings(): Settings {
  const settings = loadConfig(schema);
  const platform = localPlatform();
  return { ...settings, ...platform, pgbench: settings.PGBENCH ?? `/usr/lib/postgresql/${platform.postgresMajor}/bin/pgbench` };
}
