import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createEventStore, createPool } from '@msa/platform';
import { z } from 'zod';
import { quietLogger } from './databases.js';
import { appendToManyStreams } from './writers.js';

// The many-stream load on a thread of its own, reporting when each event's append committed (as
// milliseconds since the epoch, comparable across threads) in chunks, then the run's totals.

const input = z
  .object({
    databaseUrl: z.string(),
    writers: z.int().positive(),
    streams: z.int().positive(),
    seconds: z.number().positive(),
  })
  .parse(workerData);
const port = parentPort;
if (port === null) throw new Error('load-worker runs as a worker thread');

const pool = createPool({
  connectionString: input.databaseUrl,
  applicationName: 'bench-load',
  logger: quietLogger,
  max: input.writers + 2,
});
let pending: [string, number][] = [];
const flush = (): void => {
  if (pending.length > 0) port.postMessage({ committed: pending });
  pending = [];
};
const timer = setInterval(flush, 20);
const run = await appendToManyStreams(createEventStore({ pool, logger: quietLogger }), {
  writers: input.writers,
  streams: input.streams,
  perAppend: 1,
  seconds: input.seconds,
  onCommitted: (events, at) => {
    const epochMs = performance.timeOrigin + at;
    for (const event of events) pending.push([event.eventId, epochMs]);
  },
});
clearInterval(timer);
flush();
await pool.end();
port.postMessage({ run });
