import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendPlusInboxTps,
  checkPlatform,
  closePools,
  cpuLines,
  measuredStep,
  messagesPerOrder,
  openShop,
  percentiles,
  platformProcesses,
  rampToMaximum,
  servicePools,
  stepLine,
  sustained,
  transactionsPerOrder,
  warmUp,
  watchTerminals,
  type ServiceName,
  type Shop,
  type StepCosts,
  type StepResult,
  type TerminalWatch,
} from '@msa/bench-kit';
import { eventTopics } from '@msa/contracts';
import { localServers } from '@msa/local';
import { createKafka, createLogger } from '@msa/platform';
import { buildEnvironment, restartServices } from './builds.js';
import { kafkaCeiling } from './kafka-perf.js';
import { readProfile, selfTimes } from './profile.js';
import { loadSettings } from './settings.js';
import { figure, platformTable, targets, type BuildFigures, type Ceilings } from './table.js';

// One run, one table: A the ceilings (Kafka's perf tools, pgbench with one saga step's transaction),
// B the naive baseline (the services restarted with the baseline's switches), C the platform as it
// is (restarted as npm start runs it, which is how the run leaves it). See README.md.

const settings = loadSettings();
const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');
const logger = createLogger({ service: 'bench-platform', level: 'error' });
const brokers = localServers().kafkaBrokers;
const kafka = createKafka({ clientId: 'bench-platform', brokers, logger });
const admin = kafka.admin();
const pools = servicePools(settings);
/** The saga topics' partitions, for Kafka's perf topic. */
const PARTITIONS = Math.max(...eventTopics.map((topic) => topic.partitions));
const STOCK_PER_PRODUCT = 10_000_000;

interface Run {
  readonly step: StepResult;
  readonly costs: StepCosts;
}

/** What the services run as now: the run restores C whatever happened. */
let running: 'B' | 'C' | 'profiled' = 'C';

async function restart(build: 'B' | 'C', extra: Readonly<Record<string, string>> = {}, services?: readonly ServiceName[]): Promise<void> {
  const seconds = await restartServices(buildEnvironment(build, extra), services);
  running = Object.keys(extra).length > 0 ? 'profiled' : build;
  out(`  restarted ${services?.join(', ') ?? 'the six services'} as ${build}${Object.keys(extra).length > 0 ? ` with ${Object.keys(extra).join(', ')} set` : ''} in ${seconds.toFixed(0)} s`);
}

/** Nothing measured: no rate was sustained, so there is no maximum to measure at. */
const NOTHING: BuildFigures = {
  maxRate: undefined,
  completedPerSecond: Number.NaN,
  relayLagEvents: Number.NaN,
  relayLagMs: Number.NaN,
  cpuPerThousand: Number.NaN,
  cpuPerThousandByProcess: new Map(),
  xactPerThousand: Number.NaN,
  kafkaMessagesPerOrder: Number.NaN,
};

function figuresOf(best: Run, latency: Run): BuildFigures {
  const orders = best.step.completed + best.step.cancelled;
  const perThousand = (value: number) => (orders === 0 ? 0 : (value * 1_000) / orders);
  const cpu = best.costs.cpuSeconds;
  const outbox = [...best.costs.outboxLag.values()];
  const at = (p: number) => latency.step.latency.getValueAtPercentile(p) / 1_000;
  return {
    maxRate: best.step.rate,
    completedPerSecond: best.step.finishedPerSecond,
    ...(latency.step.latency.totalCount === 0 ? {} : { latency: { rate: latency.step.rate, p50: at(50), p99: at(99), p999: at(99.9) } }),
    relayLagEvents: Math.max(0, ...outbox.map((lag) => lag.events)),
    relayLagMs: Math.max(0, ...outbox.map((lag) => lag.oldestMs)),
    cpuPerThousand: perThousand([...cpu.values()].reduce((sum, value) => sum + value, 0)),
    cpuPerThousandByProcess: new Map([...cpu].map(([name, seconds]) => [name, perThousand(seconds)])),
    xactPerThousand: transactionsPerOrder(best.step, best.costs) * 1_000,
    kafkaMessagesPerOrder: messagesPerOrder(best.step, best.costs),
  };
}

/**
 * One build's part: the ramp to its maximum sustained rate, then 70 % of it for the latency step,
 * during which `profile` (if given) runs with `--cpu-prof`.
 */
async function measureBuild(build: 'B' | 'C', shop: Shop, watch: TerminalWatch, rates: readonly number[], below: readonly number[], profile?: ServiceName): Promise<BuildFigures> {
  const warm = await warmUp(settings, shop, watch, 90_000);
  out(`  warm-up: ${warm.length} orders, ${warm.filter((order) => order.status === 'COMPLETED').length} completed`);
  let processes = platformProcesses(settings);
  const step = (rate: number, seconds: number): Promise<Run> =>
    measuredStep(
      { admin, pools, processes },
      { orderUrl: `${settings.urls.order}/api/orders`, shop, watch, rate, seconds, settleSeconds: settings.BENCH_SETTLE_SECONDS, drainSeconds: settings.BENCH_DRAIN_SECONDS },
    );
  const runs = new Map<number, Run>();
  out(`  ramp over ${rates.join(', ')} orders/s (open-loop, ${settings.BENCH_STEP_SECONDS} s each):`);
  const offerRate = async (rate: number): Promise<boolean> => {
    const run = await step(rate, settings.BENCH_STEP_SECONDS);
    const kept = sustained(run.step);
    out(stepLine(run.step, run.costs, kept ? 'sustained' : 'NOT sustained'));
    runs.set(rate, run);
    return kept;
  };
  let maxRate = await rampToMaximum({ rates, refineSteps: settings.BENCH_REFINE_STEPS }, offerRate);
  if (maxRate === undefined && below.length > 0) {
    out(`  none sustained from ${rates[0] ?? ''} orders/s: the rungs below, ${below.join(', ')}`);
    maxRate = await rampToMaximum({ rates: below, refineSteps: settings.BENCH_REFINE_STEPS }, offerRate);
  }
  const best = maxRate === undefined ? undefined : runs.get(maxRate);
  if (best === undefined) {
    out(`  ${build}: no rate was sustained with 0 errors`);
    return NOTHING;
  }
  out(`  ${build}: maximum sustained rate ${best.step.rate} orders/s with 0 errors; CPU-seconds per 1,000 orders there:`);
  for (const line of cpuLines(best.step, best.costs)) out(line);
  const rate = Math.max(1, Math.round(best.step.rate * 0.7));
  let dir: string | undefined;
  if (profile !== undefined) {
    dir = await mkdtemp(join(tmpdir(), 'bench-platform-profile-'));
    await restart(build, { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` }, [profile]);
    processes = platformProcesses(settings);
    // Its consumers rejoin their groups and its code runs cold: not what the latency step measures.
    await warmUp(settings, shop, watch, 90_000);
  }
  try {
    const stepStarted = performance.now();
    const latency = await step(rate, settings.BENCH_LATENCY_SECONDS);
    out(`  ${build} at 70 % (${rate} orders/s, ${settings.BENCH_LATENCY_SECONDS} s):`);
    out(stepLine(latency.step, latency.costs, sustained(latency.step) ? 'sustained' : 'NOT sustained'));
    out(`  POST to terminal state ${percentiles(latency.step.latency)}`);
    if (profile !== undefined && dir !== undefined) {
      const stepMs = performance.now() - stepStarted;
      await restart(build, {}, [profile]);
      printProfile(profile, await readProfile(dir), stepMs);
    }
    return figuresOf(best, latency);
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

/** The profile's last `stepMs`: the latency step (and the stop after it), without the start-up before it. */
function printProfile(service: ServiceName, profile: Awaited<ReturnType<typeof readProfile>>, stepMs: number): void {
  const { busyMs, idleShare, functions, packages } = selfTimes(profile, 15, { lastMs: stepMs });
  out(`\n  where ${service}'s time goes (--cpu-prof over the latency step's ${(stepMs / 1_000).toFixed(0)} s: ${(busyMs / 1_000).toFixed(1)} s busy, ${(idleShare * 100).toFixed(0)} % idle):`);
  out('  by package, self time:');
  for (const entry of packages) out(`    ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`);
  out('  top functions, self time:');
  for (const entry of functions) out(`    ${(entry.share * 100).toFixed(1).padStart(5)} %  ${entry.name}`);
}

async function main(): Promise<number> {
  const started = performance.now();
  await checkPlatform(settings);
  await admin.connect();
  out(`platform bench: parts ${settings.BENCH_PARTS.join(', ')}; ${settings.BENCH_PRODUCTS} products, ${settings.BENCH_CUSTOMERS} customers; ${settings.BENCH_STEP_SECONDS} s per rate, ${settings.BENCH_LATENCY_SECONDS} s at 70 %`);
  out(`load average before: ${load()}`);
  const ceilings: { -readonly [K in keyof Ceilings]: Ceilings[K] } = {};
  let b: BuildFigures | undefined;
  let c: BuildFigures | undefined;
  const shop = await openShop(settings, { customers: settings.BENCH_CUSTOMERS, products: settings.BENCH_PRODUCTS, stock: STOCK_PER_PRODUCT, by: 'platform bench' });
  const watch = await watchTerminals(kafka);
  try {
    if (settings.BENCH_PARTS.includes('A')) {
      out('\nA. ceilings on this machine:');
      const ceiling = await kafkaCeiling(admin, { brokers: brokers.join(','), records: settings.BENCH_KAFKA_RECORDS, recordBytes: settings.BENCH_KAFKA_RECORD_BYTES, partitions: PARTITIONS });
      ceilings.kafkaProducerPerSecond = ceiling.producerPerSecond;
      ceilings.kafkaConsumerPerSecond = ceiling.consumerPerSecond;
      out(`  kafka-producer-perf-test: ${ceiling.records} records of ${ceiling.recordBytes} bytes on ${ceiling.partitions} partitions, acks=all: ${figure(ceiling.producerPerSecond)} records/s (${figure(ceiling.producerMbPerSecond)} MB/s), p99 ${ceiling.producerP99Ms} ms`);
      out(`  kafka-consumer-perf-test: ${figure(ceiling.consumerPerSecond)} records/s (${figure(ceiling.consumerMbPerSecond)} MB/s)`);
      ceilings.pgbenchTps = await appendPlusInboxTps(settings.pgbench, { clients: settings.BENCH_PGBENCH_CLIENTS, seconds: settings.BENCH_PGBENCH_SECONDS });
      out(`  pgbench, append-plus-inbox transaction, ${settings.BENCH_PGBENCH_CLIENTS} clients, ${settings.BENCH_PGBENCH_SECONDS} s: ${figure(ceilings.pgbenchTps)} transactions/s`);
    }
    let rungsC = settings.BENCH_RATES;
    if (settings.BENCH_PARTS.includes('B')) {
      out('\nB. the naive baseline:');
      await restart('B');
      b = await measureBuild('B', shop, watch, settings.BENCH_RATES, []);
      // C keeps up with at least what B did: its ramp starts at the highest rung B sustained, and
      // goes down the rungs below only if it did not keep up even there.
      const from = settings.BENCH_RATES.filter((rate) => rate <= (b?.maxRate ?? 0)).at(-1);
      if (from !== undefined) rungsC = settings.BENCH_RATES.filter((rate) => rate >= from);
    }
    if (settings.BENCH_PARTS.includes('C')) {
      out('\nC. the platform as it is:');
      if (running !== 'C') await restart('C');
      c = await measureBuild('C', shop, watch, rungsC, settings.BENCH_RATES.filter((rate) => rate < (rungsC[0] ?? 0)), settings.BENCH_PROFILE);
    }
  } finally {
    if (running !== 'C') await restart('C');
    await watch.stop();
  }

  out(`\nthe platform bench, ${new Date().toISOString().slice(0, 16)}Z, load average after: ${load()}`);
  for (const line of platformTable(b, c, ceilings)) out(line);
  const processNames = new Set([...(b?.cpuPerThousandByProcess.keys() ?? []), ...(c?.cpuPerThousandByProcess.keys() ?? [])]);
  if (processNames.size > 0) out('\nCPU-seconds per 1,000 orders at the maximum rate, per process (B / C):');
  for (const name of processNames) {
    out(`  ${name.padEnd(13)} ${figure(b?.cpuPerThousandByProcess.get(name)).padStart(8)} / ${figure(c?.cpuPerThousandByProcess.get(name)).padStart(8)}`);
  }
  out('\ntargets:');
  for (const target of targets(b, c, ceilings)) {
    out(`  ${target.name} ${target.goal}: ${figure(target.value)} ${target.met === undefined ? 'not measured' : target.met ? 'met' : 'MISSED'}`);
  }
  out(`\nrun took ${((performance.now() - started) / 60_000).toFixed(1)} minutes`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`platform bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => undefined);
  await closePools(pools);
}
