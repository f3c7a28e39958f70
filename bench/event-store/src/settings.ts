import { readLocalConfig } from '@msa/local';
import { env, loadConfig } from '@msa/platform';
import { z } from 'zod';

const schema = z.object({
  /** How long each append measurement runs. */
  BENCH_SECONDS: env.integer({ min: 1, max: 600 }).default(5),
  /**
   * Each comparison alternates the event store and pgbench this many times and reports medians, so
   * that other work on the machine weighs on both sides alike.
   */
  BENCH_ROUNDS: env.integer({ min: 1, max: 20 }).default(3),
  /** Concurrent writers in the append measurements (pgbench clients likewise). */
  BENCH_WRITERS: env.integer({ min: 1, max: 200 }).default(32),
  /** Streams the many-stream measurements spread over. */
  BENCH_STREAMS: env.integer({ min: 1 }).default(1_000),
  /** Events read back from the global log for the replay rate. */
  BENCH_REPLAY_EVENTS: env.integer({ min: 1 }).default(200_000),
  /** The pgbench binary; by default the one of the local PostgreSQL. */
  PGBENCH: z.string().min(1).optional(),
});

/** What one benchmark run measures and with what. */
export type Settings = z.output<typeof schema> & { readonly pgbench: string };

/** Reads the benchmark's settings once, at start-up. */
export function loadSettings(): Settings {
  const settings = loadConfig(schema);
  const major = readLocalConfig().get('POSTGRES_MAJOR') ?? '15';
  return { ...settings, pgbench: settings.PGBENCH ?? `/usr/lib/postgresql/${major}/bin/pgbench` };
}
