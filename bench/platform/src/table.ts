/** What one build (B or C) measured; `NaN` where it did not (no rate was sustained). */
export interface BuildFigures {
  /** The highest rate sustained with 0 errors, orders/s; `undefined` when none was. */
  readonly maxRate: number | undefined;
  /** Completed orders/s at that rate, from the first order's due time to the last one's terminal state. */
  readonly completedPerSecond: number;
  /** POST to terminal state at 70 % of the maximum rate, in ms. */
  readonly latency?: { readonly rate: number; readonly p50: number; readonly p99: number; readonly p999: number };
  /** The most events seen past the outbox relays' checkpoints at the maximum rate, and the oldest one's age. */
  readonly relayLagEvents: number;
  readonly relayLagMs: number;
  /** CPU-seconds per 1,000 orders at the maximum rate: every process, and each one. */
  readonly cpuPerThousand: number;
  readonly cpuPerThousandByProcess: ReadonlyMap<string, number>;
  /** PostgreSQL transactions (commits over the service databases) per 1,000 orders at the maximum rate. */
  readonly xactPerThousand: number;
  /** Messages written to the catalog's topics per order at the maximum rate. */
  readonly kafkaMessagesPerOrder: number;
}

/** A: the ceilings the run measured itself. */
export interface Ceilings {
  /** pgbench's append-plus-inbox transactions/s. */
  readonly pgbenchTps?: number;
  /** Kafka's producer and consumer perf tools, records/s. */
  readonly kafkaProducerPerSecond?: number;
  readonly kafkaConsumerPerSecond?: number;
}

export const TARGETS = { throughputOverBaseline: 5, sagaEfficiency: 0.5, p99Ms: 100 } as const;

/** `a / b`, or `undefined` when either is unknown or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? undefined : a / b;
}

/** Share of pgbench's transaction rate that a build's orders turn into commits: orders/s × transactions per order ÷ pgbench TPS. */
export function sagaEfficiency(build: BuildFigures | undefined, ceilings: Ceilings): number | undefined {
  if (build?.maxRate === undefined) return undefined;
  return ratio(build.maxRate * (build.xactPerThousand / 1_000), ceilings.pgbenchTps);
}

/** Messages/s a build's orders wrote to Kafka at its maximum rate. */
export function kafkaMessagesPerSecond(build: BuildFigures | undefined): number | undefined {
  return build?.maxRate === undefined ? undefined : build.maxRate * build.kafkaMessagesPerOrder;
}

/** One target and whether the run met it; `met` is undefined when what it needs was not measured. */
export interface TargetCheck {
  readonly name: string;
  readonly value: number | undefined;
  readonly goal: string;
  readonly met: boolean | undefined;
}

export function targets(b: BuildFigures | undefined, c: BuildFigures | undefined, ceilings: Ceilings): TargetCheck[] {
  const throughput = ratio(c?.maxRate, b?.maxRate);
  const efficiency = sagaEfficiency(c, ceilings);
  const p99 = c?.latency?.p99;
  return [
    { name: 'throughput C/B', value: throughput, goal: `>= ${TARGETS.throughputOverBaseline}x`, met: throughput === undefined ? undefined : throughput >= TARGETS.throughputOverBaseline },
    { name: 'saga efficiency of C', value: efficiency, goal: `>= ${TARGETS.sagaEfficiency}`, met: efficiency === undefined ? undefined : efficiency >= TARGETS.sagaEfficiency },
    { name: 'p99 of C at 70 % of its maximum (ms)', value: p99, goal: `<= ${TARGETS.p99Ms} ms`, met: p99 === undefined ? undefined : p99 <= TARGETS.p99Ms },
  ];
}

const NOT_MEASURED = '-';

/** A figure with the digits its size warrants, or `-` when it was not measured. */
export function figure(value: number | undefined, unit = ''): string {
  if (value === undefined || !Number.isFinite(value)) return NOT_MEASURED;
  const size = Math.abs(value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : size >= 0.1 || size === 0 ? 2 : 3;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${unit}`;
}

const times = (value: number | undefined): string => (value === undefined ? NOT_MEASURED : `${figure(value)}x`);

/** The run's one table, A, B and C side by side with the ratios C/B and C/A, as Markdown. */
export function platformTable(b: BuildFigures | undefined, c: BuildFigures | undefined, ceilings: Ceilings): string[] {
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const lines = [row(['figure', 'A ceiling', 'B naive', 'C platform', 'C/B', 'C/A']), row(['---', '---:', '---:', '---:', '---:', '---:'])];
  const both = (name: string, pick: (build: BuildFigures) => number | undefined, unit = '', againstA: readonly [string, string] = [NOT_MEASURED, NOT_MEASURED]) => {
    const vb = b === undefined ? undefined : pick(b);
    const vc = c === undefined ? undefined : pick(c);
    lines.push(row([name, againstA[0], figure(vb, unit), figure(vc, unit), times(ratio(vc, vb)), againstA[1]]));
  };
  both('orders/s sustained, 0 errors', (build) => build.maxRate);
  both('orders/s completed at that rate', (build) => build.completedPerSecond);
  both('latency step rate (70 %), orders/s', (build) => build.latency?.rate);
  both('p50 order to terminal at 70 %', (build) => build.latency?.p50, ' ms');
  both('p99 order to terminal at 70 %', (build) => build.latency?.p99, ' ms');
  both('p99.9 order to terminal at 70 %', (build) => build.latency?.p999, ' ms');
  both('relay lag, most events', (build) => build.relayLagEvents);
  both('relay lag, oldest event', (build) => build.relayLagMs, ' ms');
  both('CPU-seconds per 1,000 orders', (build) => build.cpuPerThousand, ' s');
  both('PostgreSQL transactions per 1,000 orders', (build) => build.xactPerThousand);
  both('PostgreSQL transactions/s at max (orders/s x tx/order)', (build) => (build.maxRate === undefined ? undefined : (build.maxRate * build.xactPerThousand) / 1_000), '', [
    `${figure(ceilings.pgbenchTps)} (pgbench)`,
    `${figure(sagaEfficiency(c, ceilings))} (efficiency)`,
  ]);
  const kafkaC = kafkaMessagesPerSecond(c);
  both('Kafka messages per order', (build) => build.kafkaMessagesPerOrder);
  both('Kafka messages/s at max', (build) => kafkaMessagesPerSecond(build), '', [
    `${figure(ceilings.kafkaProducerPerSecond)} produced, ${figure(ceilings.kafkaConsumerPerSecond)} consumed`,
    times(ratio(kafkaC, ceilings.kafkaProducerPerSecond)),
  ]);
  lines.push(row(['saga efficiency (orders/s x tx/order / pgbench TPS)', NOT_MEASURED, figure(sagaEfficiency(b, ceilings)), figure(sagaEfficiency(c, ceilings)), times(ratio(sagaEfficiency(c, ceilings), sagaEfficiency(b, ceilings))), NOT_MEASURED]));
  return lines;
}
