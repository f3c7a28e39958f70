import { type BenchSettings, loadBenchSettings, rampVariables, SERVICES } from '@msa/bench-kit';
import { env } from '@msa/platform';
import { z } from 'zod';

const builds = z
  .string()
  .transform((raw) => raw.split(',').map((part) => part.trim().toUpperCase()))
  .pipe(z.array(z.enum(['A', 'B', 'C'])).min(1, 'expected at least one of A, B, C'));

const schema = z.object({
  // The ramp's ladder and shop (C's ramp starts at the highest rung B sustained), pgbench's baseline.
  ...rampVariables,
  /** Which parts run: A the ceilings, B the naive baseline, C the platform as it is. */
  BENCH_PARTS: builds.default(['A', 'B', 'C']),
  /** How long the step at 70 % of the maximum rate runs, so its p99 rests on a few hundred orders. */
  BENCH_LATENCY_SECONDS: env.integer({ min: 1, max: 1_800 }).default(40),
  /** How long after a step's last order the bench waits for the stragglers' terminal states. */
  BENCH_SETTLE_SECONDS: env.integer({ min: 1, max: 600 }).default(20),
  /** Longest wait before each step for the backlog the step before left (consumer and outbox lag), so no step pays for another. */
  BENCH_DRAIN_SECONDS: env.integer({ min: 0, max: 600 }).default(90),
  /** Records Kafka's perf tools write and then read on the bench's topic, and each one's bytes. */
  BENCH_KAFKA_RECORDS: env.integer({ min: 1_000, max: 100_000_000 }).default(100_000),
  BENCH_KAFKA_RECORD_BYTES: env.integer({ min: 1, max: 1_000_000 }).default(1_024),
  /** A service restarted with `--cpu-prof` for C's latency step; its top self-time functions are printed. */
  BENCH_PROFILE: z.enum(SERVICES).optional(),
});

/** What one run measures, and where the platform `npm start` runs is. */
export type Settings = BenchSettings<typeof schema>;

/** Reads the bench's settings once, at start-up. */
export function loadSettings(): Settings {
  return loadBenchSettings(schema);
}
