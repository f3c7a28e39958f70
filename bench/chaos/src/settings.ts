import { localPlatform, type Platform } from '@msa/bench-kit';
import { env, loadConfig } from '@msa/platform';
import { z } from 'zod';
import { FAULT_KINDS } from './faults.js';

const schema = z.object({
  /** Orders per second, offered open-loop for the whole run. */
  CHAOS_RATE: env.integer({ min: 1, max: 100 }).default(5),
  /** How long the storm of overlapping faults lasts. */
  CHAOS_STORM_SECONDS: env.integer({ min: 10, max: 3_600 }).default(240),
  /** Faults the storm injects; each kind's recovery probe adds one more. */
  CHAOS_STORM_FAULTS: env.integer({ min: 1, max: 10_000 }).default(92),
  /** Faults in progress at once at most, each on a different server or service. */
  CHAOS_CONCURRENCY: env.integer({ min: 1, max: 11 }).default(3),
  /** Seeds the fault schedule; printed, so a run can be repeated. Random when unset. */
  CHAOS_SEED: env.integer({ min: 0, max: 2 ** 31 - 1 }).optional(),
  /** How long a frozen service stays stopped: longer than the consumers' session timeout (6 s) and the relay leader's (6 s). */
  CHAOS_FREEZE_SECONDS: env.integer({ min: 1, max: 300 }).default(10),
  /** The kinds of fault the recovery probes inject after the storm, comma-separated, such as `kafka-kill`; every kind when unset. */
  CHAOS_PROBES: env.list(z.enum(FAULT_KINDS)).default([...FAULT_KINDS]),
  /** How long a recovery probe waits for p99 and lag to come back before it calls the fault unrecovered. */
  CHAOS_RECOVERY_TIMEOUT_SECONDS: env.integer({ min: 5, max: 600 }).default(45),
  /** How long, after the last order was sent, the bench waits for every saga and every consumer to finish. */
  CHAOS_QUIESCENCE_SECONDS: env.integer({ min: 10, max: 1_800 }).default(180),
  /** Products and customers of the run's shop; the first CHAOS_SCARCE_PRODUCTS get CHAOS_SCARCE_STOCK units, so they sell out. */
  CHAOS_PRODUCTS: env.integer({ min: 2, max: 1_000 }).default(20),
  CHAOS_CUSTOMERS: env.integer({ min: 1, max: 1_000 }).default(20),
  CHAOS_SCARCE_PRODUCTS: env.integer({ min: 0, max: 1_000 }).default(2),
  CHAOS_SCARCE_STOCK: env.integer({ min: 0, max: 1_000_000 }).default(40),
  /**
   * Set when the platform runs the control build (the services' NAIVE_DUAL_WRITE): every service the
   * suite restarts inherits it from the suite's environment, and with no relay running the outboxes'
   * lag means nothing, so quiescence waits for the sagas and the groups only.
   */
  NAIVE_DUAL_WRITE: env.boolean().default(false),
});

export type Settings = z.output<typeof schema> & Platform;

/** Reads the suite's settings once, at start-up. */
export function loadSettings(): Settings {
  return { ...loadConfig(schema), ...localPlatform() };
}
