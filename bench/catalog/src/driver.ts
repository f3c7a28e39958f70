import autocannon from 'autocannon';
import { serveParent } from './ipc.js';
import { DriverRequest, type LoadResult } from './protocol.js';
import { processWindow } from './window.js';

// The load generator, in a process of its own: in the services' process, even on a worker thread,
// it competed with the instance under test for the machine's cores and its GC. The parent sends
// one load at a time, so its warm-up and its measured load run in the same warm process.

const window = processWindow();

async function load({ url, connections, seconds, paths }: DriverRequest): Promise<LoadResult> {
  window.start();
  const result = await autocannon({ url, connections, duration: seconds, requests: paths.map((path) => ({ method: 'GET', path })) });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    driver: window.end(),
  };
}

serveParent(
  (request) => DriverRequest.parse(request),
  load,
  () => {
    process.exit(0);
  },
);
