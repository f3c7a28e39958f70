import { forkProgram } from './ipc.js';
import { LoadResult, type DriverRequest } from './protocol.js';

export type { LoadResult } from './protocol.js';

/** Options for one load run. */
export type LoadOptions = Omit<DriverRequest, 'type'>;

/** The load generator's process. */
export interface LoadDriver {
  /** Runs autocannon against `url` for `seconds` and answers what it measured. */
  run(options: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

/** Starts the load generator in a process of its own (`driver.ts`). */
export function startLoadDriver(): LoadDriver {
  const driver = forkProgram<DriverRequest>(new URL('./driver.js', import.meta.url));
  return {
    run: (options) => driver.ask({ type: 'load', ...options }, LoadResult),
    close: () => driver.close(5_000),
  };
}
