import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import hdr from 'hdr-histogram-js';
import { call, orderBody, type Shop } from './shop.js';
import type { TerminalWatch } from './terminals.js';

/** One order the bench placed: what it bought and how it ended. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly productId: string;
  readonly status: 'COMPLETED' | 'CANCELLED' | 'UNFINISHED';
}

/** What one rate did. */
export interface StepResult {
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  /** Answers other than 201, and requests that failed. */
  readonly refused: number;
  readonly completed: number;
  readonly cancelled: number;
  /** Created, but no terminal state within the settle time. */
  readonly unfinished: number;
  /** Completed orders per second, from the first order's due time to the last one's terminal state. */
  readonly finishedPerSecond: number;
  /** Median milliseconds to the terminal state of the first and of the last fifth of the orders, by due time. */
  readonly medianFirstMs: number;
  readonly medianLastMs: number;
  /**
   * Terminal states that reached the bench in the second half of the send window, against the
   * orders offered in as long: about 1 for a platform that keeps up (its latency well under half
   * the step), less for one whose completions trail the offered rate.
   */
  readonly keptUpShare: number;
  /** Microseconds from each order's scheduled send to its terminal state. */
  readonly latency: hdr.Histogram;
  /** Microseconds from each order's scheduled send to its 201. */
  readonly created: hdr.Histogram;
  readonly orders: readonly PlacedOrder[];
  readonly errors: ReadonlyMap<string, number>;
}

function histogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

/** One rate offered to the platform: where orders go, whose they are, how many and how long. */
export interface Offer {
  readonly orderUrl: string;
  readonly shop: Shop;
  readonly watch: TerminalWatch;
  readonly rate: number;
  readonly seconds: number;
  readonly settleSeconds: number;
}

/**
 * Offers `rate` orders per second for `seconds`, open-loop: order i is due at start + i/rate and is
 * sent then whether or not earlier ones have answered, and its latencies count from when it was due,
 * so a stalled platform shows as latency, not as fewer requests. Each order is one unit of a product
 * (round robin) for a customer (round robin), with an Idempotency-Key. Waits up to `settleSeconds`
 * after the last send for the terminal states.
 */
export async function offer({ orderUrl, shop, watch, rate, seconds, settleSeconds }: Offer): Promise<StepResult> {
  const total = rate * seconds;
  const latency = histogram();
  const created = histogram();
  const errors = new Map<string, number>();
  const dueOf = new Map<string, { due: number; index: number }>();
  const tookMs: (number | undefined)[] = [];
  let lastTerminal = 0;
  const terminalsAt: number[] = [];
  const placed: { orderId: string; productId: string }[] = [];
  let refused = 0;
  const start = performance.now();
  const finish = (orderId: string, at: number): void => {
    const placedOrder = dueOf.get(orderId);
    if (placedOrder === undefined) return;
    dueOf.delete(orderId);
    latency.recordValue(Math.max(1, Math.round((at - placedOrder.due) * 1_000)));
    tookMs[placedOrder.index] = at - placedOrder.due;
    lastTerminal = Math.max(lastTerminal, at);
    terminalsAt.push(at);
  };
  const unsubscribe = watch.onTerminal((orderId, terminal) => {
    finish(orderId, terminal.at);
  });
  const fail = (what: string): void => {
    refused += 1;
    errors.set(what, (errors.get(what) ?? 0) + 1);
  };

  const inFlight = new Set<Promise<void>>();
  const send = (index: number, due: number): void => {
    const productId = shop.productIds[index % shop.productIds.length] ?? '';
    const bearer = shop.customers[index % shop.customers.length] ?? shop.admin;
    const request = call(orderUrl, { bearer, body: orderBody(productId), headers: { 'idempotency-key': randomUUID() } })
      .then(({ status, body }) => {
        if (status !== 201) {
          fail(`HTTP ${status}`);
          return;
        }
        created.recordValue(Math.max(1, Math.round((performance.now() - due) * 1_000)));
        const { orderId } = body as { orderId: string };
        placed.push({ orderId, productId });
        dueOf.set(orderId, { due, index });
        // The saga may have ended before this answer was read.
        const terminal = watch.get(orderId);
        if (terminal !== undefined) finish(orderId, terminal.at);
      })
      .catch((error: unknown) => {
        fail(error instanceof Error ? error.name : 'error');
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  for (let sent = 0; sent < total; ) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) * rate) / 1_000) + 1);
    for (; sent < due; sent += 1) send(sent, start + (sent * 1_000) / rate);
    const next = start + (sent * 1_000) / rate;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(inFlight);
  const settleBy = performance.now() + settleSeconds * 1_000;
  while (dueOf.size > 0 && performance.now() < settleBy) await sleep(50);
  unsubscribe();

  const fifth = Math.max(1, Math.floor(total / 5));
  const median = (values: readonly (number | undefined)[]): number => {
    const known = values.filter((value): value is number => value !== undefined).toSorted((a, b) => a - b);
    return known[Math.floor(known.length / 2)] ?? Number.POSITIVE_INFINITY;
  };
  const orders = placed.map(({ orderId, productId }): PlacedOrder => ({ orderId, productId, status: watch.get(orderId)?.status ?? 'UNFINISHED' }));
  const count = (status: PlacedOrder['status']) => orders.filter((order) => order.status === status).length;
  for (const order of orders) {
    if (order.status === 'COMPLETED') continue;
    const what = order.status === 'CANCELLED' ? `cancelled ${watch.get(order.orderId)?.reason ?? ''}` : 'no terminal state';
    errors.set(what, (errors.get(what) ?? 0) + 1);
  }
  return {
    rate,
    seconds,
    sent: total,
    refused,
    completed: count('COMPLETED'),
    cancelled: count('CANCELLED'),
    unfinished: count('UNFINISHED'),
    finishedPerSecond: lastTerminal > start ? (count('COMPLETED') * 1_000) / (lastTerminal - start) : 0,
    medianFirstMs: median(tookMs.slice(0, fifth)),
    medianLastMs: median(tookMs.slice(total - fifth)),
    keptUpShare: terminalsAt.filter((at) => at >= start + seconds * 500 && at < start + seconds * 1_000).length / ((rate * seconds) / 2),
    latency,
    created,
    orders,
    errors,
  };
}

/** Share of the offered rate the terminal states must keep up with in the send window's second half. */
const KEPT_UP_SHARE = 0.9;

/**
 * Whether the platform kept up with the step: every order created and completed, and no queue grew
 * while it ran: the last fifth of the orders took at most twice as long as the first fifth, plus half
 * a second, and orders completed in the second half of the send window at 90 % of the offered rate at
 * least. A platform short of capacity answers an open-loop load with ever longer latencies; one
 * already behind when the step began (a slow baseline, a backlog left by the step before) passes the
 * first test while completing far fewer orders than offered, which the second catches.
 */
export function sustained(step: StepResult): boolean {
  return (
    step.refused === 0 &&
    step.cancelled === 0 &&
    step.unfinished === 0 &&
    step.medianLastMs <= 2 * step.medianFirstMs + 500 &&
    step.keptUpShare >= KEPT_UP_SHARE
  );
}

/** The ladder of rates and how finely the gap above the last one kept is searched. */
export interface RampPlan {
  /** The offered rates (orders/s) in order; the ramp stops at the first one not sustained. */
  readonly rates: readonly number[];
  /** How many times the gap between the last rate sustained and the first one not is halved. */
  readonly refineSteps: number;
}

/**
 * Offers the ladder's rates in order until one is not sustained, then halves the gap between the
 * last one kept and that one `refineSteps` times (the ladder's steps of about √2 understate the
 * maximum by up to 30 %). `offerRate` runs one step and says whether it was sustained. Returns the
 * highest rate sustained, or `undefined` when not even the first one was.
 */
export async function rampToMaximum(plan: RampPlan, offerRate: (rate: number) => Promise<boolean>): Promise<number | undefined> {
  let best: number | undefined;
  let notKept: number | undefined;
  for (const rate of plan.rates) {
    if (!(await offerRate(rate))) {
      notKept = rate;
      break;
    }
    best = rate;
  }
  for (let refined = 0; best !== undefined && notKept !== undefined && refined < plan.refineSteps; refined++) {
    const rate = Math.round((best + notKept) / 2);
    if (rate <= best || rate >= notKept) break;
    if (await offerRate(rate)) best = rate;
    else notKept = rate;
  }
  return best;
}
