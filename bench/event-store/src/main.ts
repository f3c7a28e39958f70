import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createBenchDatabase, quietLogger, synchronousCommit, type BenchDatabase } from './databases.js';
import { hotStreamScript, manyStreamScript, pgbench } from './pgbench.js';
import { createBenchTopic, measureDrain, measureRelayLag } from './relay.js';
import { replayGlobalLog, replayStream } from './replay.js';
import { loadSettings } from './settings.js';
import { line, median, perSecond } from './stats.js';
import { appendToHotStream, appendToManyStreams, commandHotStream, fillStream, type AppendRun } from './writers.js';

// Measures the event store and the outbox relay against the targets of the platform issue and prints
// one report: Node appends beside pgbench running the same append_events call on the same server,
// relay lag under load, backlog drain, and replay rates. See README.md.

const settings = loadSettings();
const { BENCH_SECONDS: seconds, BENCH_WRITERS: writers, BENCH_STREAMS: streams, BENCH_ROUNDS: rounds } = settings;
const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const rate = (run: AppendRun): number => run.events / run.seconds;

async function eventCount(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ count: string }>('select count(*) from events');
  return Number(rows[0]?.count ?? 0);
}

/**
 * Makes PostgreSQL pay the earlier phases' debts before a latency measurement: the checkpoint and the
 * autovacuum a million fresh rows call for would otherwise land inside it, by chance.
 */
async function settle(pool: pg.Pool): Promise<void> {
  await pool.query('checkpoint');
  await pool.query('vacuum (analyze) events');
}

let pgbenchRuns = 0;

/**
 * Runs pgbench on streams of its own and returns events/s. pgbench cannot see `append_events`
 * refuse a stale version, so the rows it inserted are counted and must match what it reports.
 */
async function pgbenchEvents(
  db: BenchDatabase,
  script: (prefix: string) => string,
  clients: number,
  perAppend: number,
): Promise<number> {
  pgbenchRuns += 1;
  const before = await eventCount(db.pool);
  const { tps } = await pgbench(settings.pgbench, db.url, script(`pg${pgbenchRuns}`), { clients, seconds });
  const inserted = (await eventCount(db.pool)) - before;
  const expected = tps * seconds * perAppend;
  if (Math.abs(inserted - expected) > expected * 0.05) {
    throw new Error(`pgbench reported ${Math.round(expected)} events but inserted ${inserted}: a version check failed`);
  }
  return tps * perAppend;
}

/** Runs `ours` and `theirs` alternately; medians of each and of the paired ratios. */
async function compare(
  ours: () => Promise<number>,
  theirs: () => Promise<number>,
): Promise<{ ours: number; theirs: number; ratio: number }> {
  const pairs: [number, number][] = [];
  for (let round = 0; round < rounds; round += 1) {
    // Whoever goes second may find the server warmer or busier: take turns.
    if (round % 2 === 0) {
      const a = await ours();
      pairs.push([a, await theirs()]);
    } else {
      const b = await theirs();
      pairs.push([await ours(), b]);
    }
  }
  return {
    ours: median(pairs.map(([a]) => a)),
    theirs: median(pairs.map(([, b]) => b)),
    ratio: median(pairs.map(([a, b]) => a / b)),
  };
}

async function main(): Promise<void> {
  const node = await createBenchDatabase('node', writers + 8, quietLogger);
  const pgb = await createBenchDatabase('pgbench', 2, quietLogger);
  const kafka = await createBenchTopic(`bench.event-store.${randomUUID().slice(0, 8)}`, 3);
  try {
    out(`event store benchmark: ${writers} writers, ${streams} streams, ${rounds} rounds of ${seconds} s per figure ` +
      `(medians), ${availableParallelism()} CPUs, synchronous_commit=${await synchronousCommit(node.pool)}`);
    await appendToManyStreams(node.store, { writers, streams, perAppend: 1, seconds: 2 });

    out('');
    out('appends, events/s');
    for (const perAppend of [1, 10]) {
      const many = await compare(
        async () => rate(await appendToManyStreams(node.store, { writers, streams, perAppend, seconds })),
        () => pgbenchEvents(pgb, (prefix) => manyStreamScript(prefix, writers, streams, perAppend), writers, perAppend),
      );
      const label = `  ${streams} streams, ${writers} writers, ${perAppend} event${perAppend === 1 ? '' : 's'}/append`;
      out(line(`${label}, event store`, perSecond(many.ours),
        perAppend === 1 ? { met: many.ours >= 6_000, text: '>= 6,000/s' } : undefined));
      out(line(`${label}, pgbench`, perSecond(many.theirs)));
      out(line('    ratio', many.ratio.toFixed(2), { met: many.ratio >= 0.7, text: '>= 0.70' }));
    }
    for (const perAppend of [1, 10]) {
      const events = `${perAppend} event${perAppend === 1 ? '' : 's'}`;
      const hot = await compare(
        async () => rate(await commandHotStream(node.store, { writers, perCommand: perAppend, seconds })),
        () => pgbenchEvents(pgb, (prefix) => hotStreamScript(prefix, perAppend), 1, perAppend),
      );
      out(line(`  one stream, ${writers} writers, ${events}/command, command handler`, perSecond(hot.ours)));
      out(line(`  one stream, 1 client, ${events}/append, pgbench (single-client commit rate)`, perSecond(hot.theirs)));
      out(line('    ratio', hot.ratio.toFixed(2), { met: hot.ratio >= 0.8, text: '>= 0.80' }));
      // Without the command handler: raw appends at the version each writer last knew, one run each.
      const raw = await appendToHotStream(node.store, { writers, perAppend, seconds });
      const single = await appendToHotStream(node.store, { writers: 1, perAppend, seconds });
      out(line(`    raw appends, ${writers} writers retrying on conflict`, perSecond(rate(raw))));
      out(line('    raw appends, 1 writer', perSecond(rate(single))));
    }

    out('');
    out('outbox relay');
    const backlog = await eventCount(node.pool);
    const drain = await measureDrain(node.pool, kafka, quietLogger, backlog);
    const drainRate = drain.events / drain.seconds;
    out(line(`  backlog drain, ${backlog.toLocaleString('en-US')} events`, perSecond(drainRate),
      { met: drainRate >= 15_000, text: '>= 15,000/s' }));
    await settle(node.pool);
    for (const thread of ['relay', 'worker'] as const) {
      const lag = await measureRelayLag(kafka, node, quietLogger, { writers, streams, seconds, thread });
      const where = thread === 'worker'
        ? 'load on a thread of its own (a third busy thread on the cores)'
        : 'load on the relay\'s event loop (a service and its relay)';
      out(`  ${where}: ${writers} writers, 1 event/append, ${perSecond(rate(lag.load))} appended`);
      out(line('    lag commit -> Kafka ack after the first second, p50', `${lag.p50.toFixed(1)} ms`));
      out(line('    p99', `${lag.p99.toFixed(1)} ms`, { met: lag.p99 <= 20, text: '<= 20 ms' }));
      out(line('    max', `${lag.max.toFixed(1)} ms`));
    }

    out('');
    out('replay');
    const global = await replayGlobalLog(node.store, settings.BENCH_REPLAY_EVENTS);
    out(line(`  global log, ${global.events.toLocaleString('en-US')} events in pages of 1,000, upcast`,
      perSecond(global.events / global.seconds)));
    const long = await fillStream(node.store, 1_000, 10);
    out(line('  one 1,000-event stream, read and upcast (median of 20)', `${(await replayStream(node.store, long)).toFixed(1)} ms`));
  } finally {
    await kafka.drop();
    await Promise.all([node.drop(), pgb.drop()]);
  }
}

await main();
