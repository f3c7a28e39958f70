import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, type Shop, type TerminalWatch } from '@msa/bench-kit';

/** One order the driver sent: when it was due, and what became of it. */
export interface DrivenOrder {
  /** `performance.now()` when it was due to be sent. */
  readonly due: number;
  orderId?: string;
  /** Why it was not accepted (an answer other than 201, or a request that failed). */
  refused?: string;
  /** `performance.now()` when its terminal event reached the suite. */
  terminalAt?: number;
}

/** The driver while it runs. */
export interface Driver {
  readonly orders: readonly DrivenOrder[];
  /** Stops sending and resolves once every request sent has been answered; terminal states are still recorded. */
  stop(): Promise<void>;
}

/**
 * Sends `rate` orders per second, open-loop, until stopped: order i is due at start + i/rate and is
 * sent then whatever the platform is doing, so a stalled platform shows as latency (counted from the
 * due time) and refusals, not as fewer requests. Each order is one unit each of two neighbouring
 * products (round robin, so the scarce ones sell out and cancel orders that hold the other line),
 * for a customer (round robin), with an Idempotency-Key.
 */
export function startDriver({ orderUrl, shop, watch, rate }: { readonly orderUrl: string; readonly shop: Shop; readonly watch: TerminalWatch; readonly rate: number }): Driver {
  const orders: DrivenOrder[] = [];
  const byId = new Map<string, DrivenOrder>();
  const inFlight = new Set<Promise<void>>();
  watch.onTerminal((orderId, terminal) => {
    const order = byId.get(orderId);
    if (order !== undefined) order.terminalAt ??= terminal.at;
  });
  const { productIds, customers } = shop;
  const send = (index: number, due: number): void => {
    const order: DrivenOrder = { due };
    orders.push(order);
    const items = [0, 1].map((offset) => ({ productId: productIds[(index + offset) % productIds.length] ?? '', quantity: 1 }));
    const request = call(orderUrl, {
      bearer: customers[index % customers.length] ?? shop.admin,
      body: { items, payment: { method: 'CARD', token: 'pm_card_visa' } },
      headers: { 'idempotency-key': randomUUID() },
    })
      .then(({ status, body }) => {
        if (status !== 201) {
          order.refused = `HTTP ${status}`;
          return;
        }
        const { orderId } = body as { orderId: string };
        order.orderId = orderId;
        byId.set(orderId, order);
        // The saga may have ended before this answer was read.
        const terminal = watch.get(orderId);
        if (terminal !== undefined) order.terminalAt ??= terminal.at;
      })
      .catch((error: unknown) => {
        // fetch reports a refused connection as a TypeError whose cause names the system error.
        const cause = error instanceof Error && error.cause instanceof Error ? ((error.cause as NodeJS.ErrnoException).code ?? error.cause.name) : undefined;
        order.refused = cause ?? (error instanceof Error ? error.name : 'error');
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const stopping = new AbortController();
  const loop = (async () => {
    const start = performance.now();
    for (let sent = 0; !stopping.signal.aborted; ) {
      const due = Math.floor(((performance.now() - start) * rate) / 1_000) + 1;
      for (; sent < due; sent += 1) send(sent, start + (sent * 1_000) / rate);
      await sleep(Math.max(0, start + (sent * 1_000) / rate - performance.now()));
    }
  })();
  return {
    orders,
    async stop() {
      stopping.abort();
      await loop;
      await Promise.all(inFlight);
    },
  };
}
