import { loadavg } from 'node:os';
import {
  appendPlusInboxTps,
  checkPlatform,
  closePools,
  cpuLines,
  measuredStep,
  ms,
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
  type PlacedOrder,
  type Shop,
  type StepCosts,
  type StepResult,
  type TerminalWatch,
} from '@msa/bench-kit';
import { localServers } from '@msa/local';
import { createKafka, createLogger } from '@msa/platform';
import { checkInvariants } from './invariants.js';
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
function measured(shop: Shop, watch: TerminalWatch, rate: number, seconds: number): Promise<{ step: StepResult; costs: StepCosts }> {
  return measuredStep({ admin, pools, processes }, { orderUrl: `${settings.urls.order}/api/orders`, shop, watch, rate, seconds, settleSeconds: settings.BENCH_SETTLE_SECONDS });
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
    placed.push(...(await warmUp(settings, shop, watch)));
    out(`warm-up: ${placed.length} orders, one per product, ${placed.filter((order) => order.status === 'COMPLETED').length} completed`);

    out('\nramp (open-loop; latency from each order\'s scheduled send):');
    const runs = new Map<number, { step: StepResult; costs: StepCosts }>();
    const maxRate = await rampToMaximum({ rates: settings.BENCH_RATES, refineSteps: settings.BENCH_REFINE_STEPS }, async (rate) => {
      const run = await measured(shop, watch, rate, settings.BENCH_STEP_SECONDS);
      placed.push(...run.step.orders);
      const kept = sustained(run.step);
      out(stepLine(run.step, run.costs, kept ? 'sustained' : 'NOT sustained'));
      runs.set(rate, run);
      return kept;
    });
    const best = maxRate === undefined ? undefined : runs.get(maxRate);
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
