import autocannon from 'autocannon';

/** What one load run measured. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers that were not 2xx, and connection errors or timeouts: a run with any is not a fair figure. */
  readonly failures: number;
}

/** Options for `runLoad`. */
export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  /** The paths to request, in turn on every connection: a sample of the mix the load should have. */
  readonly paths: readonly string[];
}

/**
 * Runs autocannon against `url` from a worker thread, so the load generator does not share the
 * service's event loop (both live in this process). Paths are data, not a function, since a worker
 * cannot be handed a closure.
 */
export async function runLoad({ url, connections, seconds, paths }: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    workers: 1,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
