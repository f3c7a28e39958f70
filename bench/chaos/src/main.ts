import { randomInt } from 'node:crypto';
import { checkPlatform, closePools, openShop, servicePools, watchTerminals, call } from '@msa/bench-kit';
import { localServers, mailpitClient } from '@msa/local';
import { createKafka, createLogger } from '@msa/platform';
import { checkQuiescent } from './checks/index.js';
import { startDriver } from './driver.js';
import { FAULT_KINDS, inject, type FaultKind, type Target } from './faults.js';
import { awaitQuiescence, motion } from './quiescence.js';
import { latencies, p99, P99_FACTOR, recoveryAfter, sampleLag, TARGET_SECONDS } from './recovery.js';
import { faultOf } from './schedule.js';
import { seededRandom } from './random.js';
import { loadSettings } from './settings.js';
import { describe, storm, supervise, type Say } from './storm.js';

// Drives orders open-loop through the platform `npm start` runs while a storm of faults kills,
// freezes and restarts its services and servers, then checks at quiescence, from the event stores
// and the topics, that nothing was lost, doubled or left half done. See README.md.

const settings = loadSettings();
const seed = settings.CHAOS_SEED ?? randomInt(2 ** 31 - 1);
const began = performance.now();
const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const say = (line: string): void => {
  out(`${((performance.now() - began) / 1_000).toFixed(1).padStart(7)} s  ${line}`);
};

// The suite's own clients see every outage it causes: their logs would only repeat its lines.
const logger = createLogger({ service: 'bench-chaos', level: 'silent' });
const kafka = createKafka({ clientId: 'bench-chaos', brokers: localServers().kafkaBrokers, logger });
const pools = servicePools(settings);
const admin = kafka.admin();

interface ProbeRow {
  readonly kind: FaultKind;
  readonly target: string;
  readonly downS: number;
  readonly recoveredS: number | undefined;
}

/**
 * After the storm, with the load still on: waits for the outboxes and groups to catch up, takes the
 * p99 of 30 s of orders as the baseline, then injects one fault of each kind probed on its own and measures
 * how long the platform took to be back within P99_FACTOR of it with no consumer lag.
 */
async function probeRecovery(random: () => number, orders: Parameters<typeof recoveryAfter>[1], busy: Set<Target>, log: Say): Promise<Probes> {
  const calmBy = performance.now() + 120_000;
  for (;;) {
    const now = await motion(pools, admin, new Date());
    if (now?.consumerLag === 0 && (settings.NAIVE_DUAL_WRITE || now.outbox === 0)) break;
    if (performance.now() > calmBy) {
      const state = now === undefined ? 'stores or broker not answering' : `consumer lag ${now.consumerLag}, ${now.outbox} events unpublished`;
      log(`not caught up 120 s after the storm (${state}): the baseline is taken anyway`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const from = performance.now() + 5_000;
  await new Promise((resolve) => setTimeout(resolve, 35_000));
  let baseline = latencies(orders, from, from + 30_000);
  for (let waited = 0; baseline === undefined && waited < 30; waited += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    baseline = latencies(orders, from, from + 30_000);
  }
  // Orders of the window still open a minute on, or none accepted: there is no p99 of "before" to
  // recover to, and saying so beats probing against a NaN.
  if (baseline === undefined || baseline.length === 0) {
    const unmeasured =
      baseline === undefined
        ? 'no baseline: orders of its 30 s window had not all ended 30 s after it (the platform was behind its load)'
        : 'no baseline: its 30 s window held no accepted order (every one refused)';
    log(`recovery not measured: ${unmeasured}`);
    return { baselineMs: Number.NaN, rows: [], unmeasured };
  }
  const baselineMs = p99(baseline);
  log(`baseline: p99 ${baselineMs.toFixed(0)} ms over ${baseline.length} orders`);
  const lags = sampleLag(admin);
  const rows: ProbeRow[] = [];
  try {
    for (const kind of FAULT_KINDS.filter((each) => settings.CHAOS_PROBES.includes(each))) {
      const fault = faultOf(random, kind, settings.CHAOS_FREEZE_SECONDS * 1_000);
      busy.add(fault.target);
      log(`probe ${describe(fault)}`);
      const run = await inject(fault).finally(() => busy.delete(fault.target));
      const recoveredS = await recoveryAfter(run, orders, lags.samples, baselineMs, settings.CHAOS_RECOVERY_TIMEOUT_SECONDS * 1_000);
      const downS = (run.backAt - run.startedAt) / 1_000;
      log(`probe ${kind} ${fault.target}: back after ${downS.toFixed(1)} s, ${recoveredS === undefined ? 'NOT recovered' : `recovered after ${recoveredS.toFixed(1)} s`}`);
      rows.push({ kind, target: fault.target, downS, recoveredS });
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  } finally {
    await lags.stop();
  }
  return { baselineMs, rows, unmeasured: undefined };
}

interface Probes {
  readonly baselineMs: number;
  readonly rows: readonly ProbeRow[];
  /** Why recovery was not measured, when it was not. */
  readonly unmeasured: string | undefined;
}

async function main(): Promise<number> {
  await checkPlatform(settings);
  await admin.connect();
  // A minute of slack: the stores' clock and this one may differ by a little, and the shop's events count too.
  const since = new Date(Date.now() - 60_000);
  const random = seededRandom(seed);
  out(`chaos suite: ${settings.NAIVE_DUAL_WRITE ? 'CONTROL build (NAIVE_DUAL_WRITE: publish after commit, no outbox, no inbox)' : 'normal build (outbox relay, inbox)'}`);
  out(`seed ${seed}, ${settings.CHAOS_RATE} orders/s, storm of ${settings.CHAOS_STORM_FAULTS} faults over ${settings.CHAOS_STORM_SECONDS} s (at most ${settings.CHAOS_CONCURRENCY} at once)`);
  const shop = await openShop(settings, { customers: settings.CHAOS_CUSTOMERS, products: settings.CHAOS_PRODUCTS, stock: settings.CHAOS_SCARCE_STOCK, by: 'chaos suite' });
  for (const productId of shop.productIds.slice(settings.CHAOS_SCARCE_PRODUCTS)) {
    await call(`${settings.urls.inventory}/api/inventory/${productId}/restock`, { bearer: shop.admin, body: { quantity: 1_000_000, note: 'chaos suite' } });
  }
  out(`shop: ${shop.customers.length} customers, ${shop.productIds.length} products, ${settings.CHAOS_SCARCE_PRODUCTS} of them with ${settings.CHAOS_SCARCE_STOCK} units`);
  const watch = await watchTerminals(kafka);
  const busy = new Set<Target>();
  const supervisor = supervise(settings.stateDir, busy, say);
  const driver = startDriver({ orderUrl: `${settings.urls.order}/api/orders`, shop, watch, rate: settings.CHAOS_RATE });
  try {
    say('storm begins');
    const runs = await storm({
      random,
      count: settings.CHAOS_STORM_FAULTS,
      seconds: settings.CHAOS_STORM_SECONDS,
      concurrency: settings.CHAOS_CONCURRENCY,
      freezeMs: settings.CHAOS_FREEZE_SECONDS * 1_000,
      busy,
      say,
    });
    say(`storm over: ${runs.length} faults repaired, ${supervisor.restarts()} restarts by the supervisor`);
    const probes = await probeRecovery(random, driver.orders, busy, say);
    await driver.stop();
    const accepted = driver.orders.filter((order) => order.orderId !== undefined).length;
    const refusals = new Map<string, number>();
    for (const order of driver.orders) if (order.refused !== undefined) refusals.set(order.refused, (refusals.get(order.refused) ?? 0) + 1);
    say(`driver stopped: ${driver.orders.length} orders sent, ${accepted} accepted (201)${refusals.size === 0 ? '' : `, refused: ${[...refusals].map(([why, count]) => `${count} ${why}`).join(', ')}`}`);
    const quiet = await awaitQuiescence({ pools, admin, since, seconds: settings.CHAOS_QUIESCENCE_SECONDS, outboxes: !settings.NAIVE_DUAL_WRITE });
    const state = quiet.last === undefined ? 'stores or broker not answering' : `${quiet.last.openOrders} orders open, ${quiet.last.outbox} events unpublished, consumer lag ${quiet.last.consumerLag}`;
    say(`${quiet.quiet ? 'quiescent' : 'NOT quiescent'} after ${(quiet.waitedMs / 1_000).toFixed(1)} s: ${state}`);

    out('\nchecks at quiescence (event stores, topics from offset 0, Mailpit):');
    const checks = await checkQuiescent({
      pools,
      kafka,
      mailpit: mailpitClient(localServers().mailpitUrl, 30_000),
      since,
      productIds: shop.productIds,
      accepted: driver.orders.flatMap((order) => (order.orderId === undefined ? [] : [order.orderId])),
    });
    for (const check of checks) out(`  ${check.held ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
    const failed = checks.filter((check) => !check.held).length;
    if (probes.unmeasured !== undefined) out(`\nrecovery per kind of fault: NOT measured, ${probes.unmeasured}`);
    else out(`\nrecovery per kind of fault (one fault each after the storm, the load still on; baseline p99 ${probes.baselineMs.toFixed(0)} ms, so within ${(probes.baselineMs * P99_FACTOR).toFixed(0)} ms):`);
    out(`  ${'kind'.padEnd(17)}${'target'.padEnd(14)}${'down s'.padStart(8)}${'recovered s'.padStart(13)}  target`);
    for (const probe of probes.rows) {
      const target = TARGET_SECONDS[probe.kind];
      const recovered = probe.recoveredS === undefined ? `> ${(settings.CHAOS_RECOVERY_TIMEOUT_SECONDS + probe.downS).toFixed(1)}`.padStart(13) : probe.recoveredS.toFixed(1).padStart(13);
      const verdict = target === undefined ? '-' : `<= ${target} s: ${probe.recoveredS !== undefined && probe.recoveredS <= target ? 'met' : 'MISSED'}`;
      out(`  ${probe.kind.padEnd(17)}${probe.target.padEnd(14)}${probe.downS.toFixed(1).padStart(8)}${recovered}  ${verdict}`);
    }
    out(`  (recovered: from the injection to the first 4 s window of orders, once the process was back, ending with p99 within ${P99_FACTOR}x and the saga groups' lag at 0)`);
    out(`\nfaults injected: ${runs.length + probes.rows.length}; ${failed === 0 ? 'no anomalies' : `${failed} checks FAILED`}`);
    return failed === 0 ? 0 : 1;
  } finally {
    await driver.stop();
    await supervisor.stop();
    await watch.stop().catch(() => undefined);
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`chaos suite: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => undefined);
  await closePools(pools);
}
