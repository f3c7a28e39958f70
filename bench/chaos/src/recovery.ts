import { setTimeout as sleep } from 'node:timers/promises';
import { consumerLag } from '@msa/bench-kit';
import type { Admin } from 'kafkajs';
import type { DrivenOrder } from './driver.js';
import type { FaultKind, FaultRun } from './faults.js';

/** Orders due within this long make one window of the rolling p99. */
const WINDOW_MS = 4_000;
/** How much slower than before a window's p99 may be and still count as recovered. */
export const P99_FACTOR = 1.2;
/** The targets, from the fault's injection to recovery. */
export const TARGET_SECONDS: Partial<Record<FaultKind, number>> = { 'service-kill': 10, 'kafka-kill': 15 };

/** The saga groups' summed consumer lag, sampled every half second while the probes run. */
export function sampleLag(admin: Admin): { readonly samples: readonly { at: number; lag: number }[]; stop(): Promise<void> } {
  const samples: { at: number; lag: number }[] = [];
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const at = performance.now();
      const lag = await consumerLag(admin).then(
        (lags) => [...lags.values()].reduce((a, b) => a + b, 0),
        () => undefined,
      );
      if (lag !== undefined) samples.push({ at, lag });
      await sleep(500, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    samples,
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

/** The 99th percentile of `values` (the largest below 100 of them). */
export function p99(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
}

/** Latencies (ms, due to terminal) of the accepted orders due in [from, to), once each has ended; undefined while any has not. */
export function latencies(orders: readonly DrivenOrder[], from: number, to: number): number[] | undefined {
  const due = orders.filter((order) => order.due >= from && order.due < to && order.refused === undefined);
  if (due.some((order) => order.terminalAt === undefined)) return undefined;
  return due.map((order) => (order.terminalAt ?? 0) - order.due);
}

type Verdict = 'good' | 'bad' | 'pending';

function windowVerdict(orders: readonly DrivenOrder[], lags: readonly { at: number; lag: number }[], from: number, limitMs: number, now: number): Verdict {
  const to = from + WINDOW_MS;
  if (now < to) return 'pending';
  const due = orders.filter((order) => order.due >= from && order.due < to);
  if (due.some((order) => order.refused !== undefined)) return 'bad';
  const accepted = due.filter((order) => order.orderId !== undefined || order.terminalAt !== undefined);
  if (accepted.length < due.length) return now - from > WINDOW_MS + 30_000 ? 'bad' : 'pending';
  const ended = accepted.filter((order) => order.terminalAt !== undefined).map((order) => (order.terminalAt ?? 0) - order.due);
  const overdue = accepted.some((order) => order.terminalAt === undefined && now - order.due > limitMs);
  if (overdue || (ended.length > 0 && p99(ended) > limitMs)) return 'bad';
  if (ended.length < accepted.length) return 'pending';
  const lagZero = lags.some((sample) => sample.at >= from && sample.at <= to + 1_000 && sample.lag === 0);
  if (lagZero) return 'good';
  return lags.some((sample) => sample.at > to + 1_000) ? 'bad' : 'pending';
}

/**
 * Seconds from the fault's injection to the first moment, once its process is back, from which a
 * window of orders ended with a p99 within P99_FACTOR of the baseline and the groups' lag touched
 * 0; undefined if that did not happen within `timeoutMs` of the process being back.
 */
export async function recoveryAfter(run: FaultRun, orders: readonly DrivenOrder[], lags: readonly { at: number; lag: number }[], baselineP99Ms: number, timeoutMs: number): Promise<number | undefined> {
  const limitMs = baselineP99Ms * P99_FACTOR;
  for (let from = run.backAt; from < run.backAt + timeoutMs; ) {
    const verdict = windowVerdict(orders, lags, from, limitMs, performance.now());
    if (verdict === 'good') return (from - run.startedAt) / 1_000;
    if (verdict === 'bad') from += 500;
    else await sleep(250);
  }
  return undefined;
}
