import { performance } from 'node:perf_hooks';
import type { EventStore } from '@msa/platform';
import { percentile } from './stats.js';

/** Reads the global log from the start, `page` events at a time, until `limit` events; events/s. */
export async function replayGlobalLog(store: EventStore, limit: number, page = 1_000): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  let events = 0;
  let after = 0;
  while (events < limit) {
    const batch = await store.readAll(after, Math.min(page, limit - events));
    const last = batch.at(-1);
    if (last === undefined) break;
    events += batch.length;
    after = last.position;
  }
  return { events, seconds: (performance.now() - started) / 1_000 };
}

/** The median time, in milliseconds, to read (and upcast) one stream, over `rounds` reads. */
export async function replayStream(store: EventStore, streamId: string, rounds = 20): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    await store.readStream(streamId);
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}
