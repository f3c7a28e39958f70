import { z } from 'zod';
import { ProcessFigures } from './window.js';

// What the bench's parent and its child programs (`instance.ts`, `driver.ts`) say to each other.

/** What the parent asks of an instance. */
export const InstanceRequest = z.discriminatedUnion('type', [
  /** Builds, starts and listens; answers the URL. */
  z.object({ type: z.literal('start'), name: z.string(), environment: z.record(z.string(), z.string()), namespace: z.string() }),
  /**
   * Opens a measured window: cache counters, CPU time and GC pauses count from here. With
   * `profile`, a CPU profile of the window is written to that file.
   */
  z.object({ type: z.literal('window-start'), profile: z.string().optional() }),
  /** Closes it; answers its `WindowFigures`. */
  z.object({ type: z.literal('window-end') }),
  /** Stops serving and the service's consumers. */
  z.object({ type: z.literal('stop') }),
]);
export type InstanceRequest = z.output<typeof InstanceRequest>;

/** What the parent asks of the load generator. */
export const DriverRequest = z.object({
  type: z.literal('load'),
  url: z.string(),
  connections: z.number(),
  seconds: z.number(),
  /** The paths to request, in turn on every connection: a sample of the mix the load should have. */
  paths: z.array(z.string()),
});
export type DriverRequest = z.output<typeof DriverRequest>;

/** What one load run measured. */
export const LoadResult = z.object({
  requestsPerSecond: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  /** Answers that were not 2xx, and connection errors or timeouts: a run with any is not a fair figure. */
  failures: z.number(),
  /** What the load generator's own process used meanwhile. */
  driver: ProcessFigures,
});
export type LoadResult = z.output<typeof LoadResult>;
