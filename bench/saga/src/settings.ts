import { type BenchSettings, loadBenchSettings, rampVariables } from '@msa/bench-kit';
import { env } from '@msa/platform';
import { z } from 'zod';

const schema = z.object({
  ...rampVariables,
  /** How long the step at 70 % of the maximum rate runs: long enough for its p99 to rest on more than a handful of orders. */
  BENCH_LATENCY_SECONDS: env.integer({ min: 1, max: 1_800 }).default(60),
  /** How long after a step's last order the bench waits for the stragglers' terminal states. */
  BENCH_SETTLE_SECONDS: env.integer({ min: 1, max: 600 }).default(30),
});

/** What one run measures, and where the platform `npm start` runs is. */
export type Settings = BenchSettings<typeof schema>;

/** Reads the bench's settings once, at start-up. */
export function loadSettings(): Settings {
  return loadBenchSettings(schema);
}
