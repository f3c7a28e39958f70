import type hdr from 'hdr-histogram-js';
import type { StepResult } from './ramp.js';

/** What a step cost beside its latencies: CPU per process, transactions per database, the lags it saw. */
export interface StepCosts {
  readonly cpuSeconds: ReadonlyMap<string, number>;
  readonly transactions: ReadonlyMap<string, number>;
  readonly consumerLag: ReadonlyMap<string, number>;
  readonly outboxLag: ReadonlyMap<string, { readonly events: number; readonly oldestMs: number }>;
  /** Messages written to the catalog's topics over the step and its settle time. */
  readonly kafkaMessages: number;
  /** How long the step waited for the backlog before it, and what was still behind when it began. */
  readonly drained?: { readonly waitedSeconds: number; readonly behind: number };
}

export const ms = (micros: number): string => (micros / 1_000).toFixed(micros < 10_000 ? 1 : 0);

export function percentiles(histogram: hdr.Histogram): string {
  if (histogram.totalCount === 0) return 'no samples';
  const at = (p: number) => ms(histogram.getValueAtPercentile(p));
  return `p50 ${at(50)} ms, p99 ${at(99)} ms, p99.9 ${at(99.9)} ms, max ${ms(histogram.maxValue)} ms`;
}

const sum = (values: Iterable<number>): number => [...values].reduce((total, value) => total + value, 0);

/** Transactions one order cost across the service databases. */
export function transactionsPerOrder(step: StepResult, costs: StepCosts): number {
  const orders = step.completed + step.cancelled;
  return orders === 0 ? 0 : sum(costs.transactions.values()) / orders;
}

/** Messages one order wrote to the catalog's topics. */
export function messagesPerOrder(step: StepResult, costs: StepCosts): number {
  const orders = step.completed + step.cancelled;
  return orders === 0 ? 0 : costs.kafkaMessages / orders;
}

export function stepLine(step: StepResult, costs: StepCosts, verdict: string): string {
  const errors = [...step.errors].map(([what, count]) => `${count} ${what}`).join(', ');
  const worstLag = [...costs.consumerLag].toSorted((a, b) => b[1] - a[1])[0];
  const outbox = [...costs.outboxLag.values()];
  return [
    `${String(step.rate).padStart(4)}/s offered: ${step.sent} sent, ${step.completed} completed (${step.finishedPerSecond.toFixed(1)}/s, first to last); ${errors === '' ? '0 errors' : `errors: ${errors}`}; ${verdict}`,
    `        median to terminal, first fifth ${step.medianFirstMs.toFixed(0)} ms, last fifth ${step.medianLastMs.toFixed(0)} ms; completed in the send window's second half: ${(step.keptUpShare * 100).toFixed(0)} % of the offered rate`,
    `        to terminal: ${percentiles(step.latency)}`,
    `        to 201:      ${percentiles(step.created)}`,
    `        consumer lag (most seen): ${sum(costs.consumerLag.values())} messages over the groups${worstLag === undefined || worstLag[1] === 0 ? '' : `, most in ${worstLag[0]} (${worstLag[1]})`}; ` +
      `outbox lag (most seen): ${Math.max(0, ...outbox.map((lag) => lag.events))} events, oldest ${Math.max(0, ...outbox.map((lag) => lag.oldestMs))} ms`,
    `        PostgreSQL transactions per order: ${transactionsPerOrder(step, costs).toFixed(1)} (${[...costs.transactions].map(([db, count]) => `${db} ${count}`).join(', ')})`,
    `        Kafka messages per order: ${messagesPerOrder(step, costs).toFixed(1)}` +
      (costs.drained === undefined ? '' : `; before it, ${costs.drained.waitedSeconds.toFixed(0)} s waiting for the backlog (${costs.drained.behind} left)`),
  ].join('\n');
}

/** CPU-seconds per 1,000 orders of each process, and in all. */
export function cpuLines(step: StepResult, costs: StepCosts): string[] {
  const orders = step.completed + step.cancelled;
  if (orders === 0) return ['  no orders finished'];
  const per = (seconds: number) => ((seconds * 1_000) / orders).toFixed(2).padStart(7);
  return [
    ...[...costs.cpuSeconds].map(([name, seconds]) => `  ${name.padEnd(13)} ${per(seconds)} s`),
    `  ${'all of them'.padEnd(13)} ${per(sum(costs.cpuSeconds.values()))} s`,
  ];
}
