import { env, loadConfig } from '@msa/platform';
import { z } from 'zod';

const schema = z.object({
  /** How long each measured load runs, after its warm-up. */
  BENCH_SECONDS: env.integer({ min: 1, max: 600 }).default(10),
  /** How long each load runs unmeasured first, so both modes are measured warm (JIT, pools, cache). */
  BENCH_WARMUP_SECONDS: env.integer({ min: 0, max: 60 }).default(3),
  /** Concurrent HTTP connections autocannon keeps open for the throughput runs. */
  BENCH_CONNECTIONS: env.integer({ min: 1, max: 1_000 }).default(32),
  /**
   * Connections of the latency runs: few, so the percentiles show what a request costs rather than
   * how long it queued behind the others (at N connections the mean latency is N / throughput).
   */
  BENCH_LATENCY_CONNECTIONS: env.integer({ min: 1, max: 1_000 }).default(4),
  /** Products seeded, spread over `BENCH_CATEGORIES` categories. */
  BENCH_PRODUCTS: env.integer({ min: 10, max: 100_000 }).default(1_000),
  BENCH_CATEGORIES: env.integer({ min: 1, max: 100 }).default(10),
  /** Share of detail requests that go to the hot products, in percent. */
  BENCH_HOT_REQUESTS: env.integer({ min: 0, max: 100 }).default(80),
  /** Share of the products that are hot, in percent. */
  BENCH_HOT_PRODUCTS: env.integer({ min: 1, max: 100 }).default(20),
  /**
   * When set, each measured window of the cached instance is CPU-profiled into this folder
   * (`<load>-<connections>.cpuprofile`). Profiling slows the instance: such a run's figures are
   * for finding costs, not for the targets.
   */
  BENCH_PROFILE_DIR: z.string().min(1).optional(),
});

/** What one benchmark run measures and with what. */
export type Settings = z.output<typeof schema>;

/** Reads the benchmark's settings once, at start-up. */
export function loadSettings(): Settings {
  return loadConfig(schema);
}
