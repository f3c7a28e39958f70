import { loadavg } from 'node:os';
import { checkPlatform, closePools, consumerLag, firstOrders, openShop, outboxLag, servicePools, watchTerminals, type Shop, type TerminalWatch } from '@msa/bench-kit';
import { localServers } from '@msa/local';
import { createKafka, createLogger } from '@msa/platform';
import { checkInvariants } from './invariants.js';
import { offer, sustained, type PlacedOrder, type StepResult } from './load.js';
import { appendPlusInboxTps } from './pgbench.js';
import { cpuSeconds, deltas, platformProcesses, transactionsCommitted } from './probes.js';
import { cpuLines, ms, percentiles, stepLine, transactionsPerOrder, type StepCosts } from './report.js';
import { loadSettings } from './settings.js';

// Drives orders open-loop at fixed rates through the platform `npm start` runs, each from its POST
// to its terminal state, and prints what each rate cost; then pgbench's rate for one consumer
// step's transaction on the same PostgreSQL, the saga's efficiency against it, and the invariants
// over every order placed. See README.md.

const P99_GOAL_MS = 250;
const EFFICIENCY_GOAL = 0.5;
/** Every product's units: more than any run orders, so stock never cancels an order. */
const STOCK_PER_PRODUCT = 1_000_000;
const settings = loadSettings();
const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

const logger = createLogger({ service: 'bench-saga', level: 'error' });
const kafka = createKafka({ clientId: 'bench-saga', brokers: localServers().kafkaBrokers, logger });
const admin = kafka.admin();
const pools = servicePools(settings);
const processes = platformProcesses(settings);

/** Runs one rate, sampling the lags every second while it runs, and what it cost. */
async function measured(shop: Shop, watch: TerminalWatch, rate: number, seconds: number): Promise<{ step: StepResult; costs: StepCosts }> {
  const cpuBefore = cpuSeconds(processes);
  const xactBefore = await transactionsCommitted(pools.order);
  const lagMax = new Map<string, number>();
  const outboxMax = new Map<string, { events: number; oldestMs: number }>();
  const sampling = new AbortController();
  const sampler = (async () => {
    while (!sampling.signal.aborted) {
      for (const [group, lag] of await consumerLag(admin)) lagMax.set(group, Math.max(lagMax.get(group) ?? 0, lag));
      for (const name of ['order', 'inventory', 'payment', 'notification'] as const) {
        const lag = await outboxLag(pools[name]);
        const seen = outboxMax.get(name) ?? { events: 0, oldestMs: 0 };
        outboxMax.set(name, { events: Math.max(seen.events, lag.events), oldestMs: Math.max(seen.oldestMs, lag.oldestMs) });
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  const step = await offer({ orderUrl: `${settings.urls.order}/api/orders`, shop, watch, rate, seconds, settleSeconds: settings.BENCH_SETTLE_SECONDS });
  sampling.abort();
  await sampler;
  const cpu = deltas(cpuSeconds(processes), cpuBefore);
  const transactions = deltas(await transactionsCommitted(pools.order), xactBefore);
  return { step, costs: { cpuSeconds: cpu, transactions, consumerLag: lagMax, outboxLag: outboxMax } };
}

async function main(): Promise<number> {
  await checkPlatform(settings);
  await admin.connect();
  out(`saga bench: ${settings.BENCH_PRODUCTS} products, ${settings.BENCH_CUSTOMERS} customers, ${settings.BENCH_STEP_SECONDS} s per rate, one unit of one product per order, paid with pm_card_visa`);
  out(`load average before: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  const shop = await openShop(settings, { customers: settings.BENCH_CUSTOMERS, products: settings.BENCH_PRODUCTS, stock: STOCK_PER_PRODUCT, by: 'saga bench' });
  const watch = await watchTerminals(kafka);
  const placed: PlacedOrder[] = [];
  try {
    const first = await firstOrders(settings, shop);
    const deadline = Date.now() + 60_000;
    while (first.some((id) => watch.get(id) === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    placed.push(...first.map((orderId, index): PlacedOrder => ({ orderId, productId: shop.productIds[index] ?? '', status: watch.get(orderId)?.status ?? 'UNFINISHED' })));
    out(`warm-up: ${first.length} orders, one per product, ${placed.filter((order) => order.status === 'COMPLETED').length} completed`);

    out('\nramp (open-loop; latency from each order\'s scheduled send):');
    let best: { step: StepResult; costs: StepCosts } | undefined;
    let notKept: number | undefined;
    const step = async (rate: number): Promise<boolean> => {
      const run = await measured(shop, watch, rate, settings.BENCH_STEP_SECONDS);
      placed.push(...run.step.orders);
      const kept = sustained(run.step);
      out(stepLine(run.step, run.costs, kept ? 'sustained' : 'NOT sustained'));
      if (kept) best = run;
      return kept;
    };
    for (const rate of settings.BENCH_RATES) {
      if (!(await step(rate))) {
        notKept = rate;
        break;
      }
    }
    // The ladder's steps of about √2 understate the maximum by up to 30 %: the gap between the last
    // rate kept and the first one not is halved BENCH_REFINE_STEPS times.
    for (let refined = 0; best !== undefined && notKept !== undefined && refined < settings.BENCH_REFINE_STEPS; refined++) {
      const rate = Math.round((best.step.rate + notKept) / 2);
      if (rate <= best.step.rate || rate >= notKept) break;
      if (!(await step(rate))) notKept = rate;
    }
    if (best === undefined) {
      out('\nno rate was sustained with 0 errors');
    } else {
      const maxRate = best.step.rate;
      out(`\nmaximum sustained rate: ${maxRate} orders/s with 0 errors`);
      const rate = Math.max(1, Math.round(maxRate * 0.7));
      const atSeventy = await measured(shop, watch, rate, settings.BENCH_LATENCY_SECONDS);
      placed.push(...atSeventy.step.orders);
      out(`\nat 70 % of it (${rate} orders/s, ${settings.BENCH_LATENCY_SECONDS} s):`);
      out(stepLine(atSeventy.step, atSeventy.costs, sustained(atSeventy.step) ? 'sustained' : 'NOT sustained'));
      const p99 = atSeventy.step.latency.getValueAtPercentile(99) / 1_000;
      out(`  POST to terminal state ${percentiles(atSeventy.step.latency)}`);
      out(`  goal p99 <= ${P99_GOAL_MS} ms: ${p99 <= P99_GOAL_MS ? 'met' : 'missed'} (${ms(atSeventy.step.latency.getValueAtPercentile(99))} ms)`);
      out(`\nCPU-seconds per 1,000 orders at ${maxRate} orders/s (each process and its children, from /proc/<pid>/stat):`);
      for (const line of cpuLines(best.step, best.costs)) out(line);
      out(`CPU-seconds per 1,000 orders at ${rate} orders/s:`);
      for (const line of cpuLines(atSeventy.step, atSeventy.costs)) out(line);

      out(`\npgbench, append-plus-inbox transaction, ${settings.BENCH_PGBENCH_CLIENTS} clients, ${settings.BENCH_PGBENCH_SECONDS} s:`);
      const tps = await appendPlusInboxTps(settings.pgbench, { clients: settings.BENCH_PGBENCH_CLIENTS, seconds: settings.BENCH_PGBENCH_SECONDS });
      const perOrder = transactionsPerOrder(best.step, best.costs);
      const efficiency = (maxRate * perOrder) / tps;
      out(`  ${tps.toFixed(0)} transactions/s`);
      out(`saga efficiency = ${maxRate} orders/s x ${perOrder.toFixed(1)} transactions/order / ${tps.toFixed(0)} tps = ${efficiency.toFixed(2)}`);
      out(`  goal >= ${EFFICIENCY_GOAL}: ${efficiency >= EFFICIENCY_GOAL ? 'met' : 'missed'}`);
    }

    // The stragglers of a step that was not sustained get the settle time once more.
    const stragglersBy = Date.now() + settings.BENCH_SETTLE_SECONDS * 1_000;
    while (placed.some((order) => order.status === 'UNFINISHED' && watch.get(order.orderId) === undefined) && Date.now() < stragglersBy) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const final = placed.map((order): PlacedOrder => ({ ...order, status: watch.get(order.orderId)?.status ?? 'UNFINISHED' }));
    out('\ninvariants over every order of the run:');
    const checks = await checkInvariants(settings.urls.inventory, shop, pools, final);
    for (const check of checks) out(`  ${check.held ? 'held  ' : 'BROKEN'} ${check.name}: ${check.detail}`);
    out(`load average after: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
    return checks.every((check) => check.held) ? 0 : 1;
  } finally {
    await watch.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`saga bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => undefined);
  await closePools(pools);
}
