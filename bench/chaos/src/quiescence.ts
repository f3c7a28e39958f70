import { setTimeout as sleep } from 'node:timers/promises';
import { consumerLag, outboxLag, SERVICES, type ServicePools } from '@msa/bench-kit';
import type { Admin } from 'kafkajs';

/** What is still moving: sagas not ended, events not published, messages not consumed. */
export interface Motion {
  readonly openOrders: number;
  readonly outbox: number;
  readonly consumerLag: number;
}

/** Reads what is still moving; a store or broker that does not answer counts as moving. */
export async function motion(pools: ServicePools, admin: Admin, since: Date): Promise<Motion | undefined> {
  try {
    const { rows } = await pools.order.query<{ open: number }>(
      `select count(*)::int as open from events c
        where c.event_type = 'OrderCreated' and c.recorded_at >= $1
          and not exists (select 1 from events t where t.stream_id = c.stream_id and t.event_type in ('OrderCompleted', 'OrderCancelled'))`,
      [since],
    );
    let outbox = 0;
    for (const service of SERVICES) outbox += (await outboxLag(pools[service])).events;
    const lag = [...(await consumerLag(admin)).values()].reduce((a, b) => a + b, 0);
    return { openOrders: rows[0]?.open ?? 0, outbox, consumerLag: lag };
  } catch {
    return undefined;
  }
}

/** Waits, up to `seconds`, until every order of the run ended, every outbox is drained (when `outboxes`) and every saga group is caught up. */
export async function awaitQuiescence(
  { pools, admin, since, seconds, outboxes }: { readonly pools: ServicePools; readonly admin: Admin; readonly since: Date; readonly seconds: number; readonly outboxes: boolean },
): Promise<{ quiet: boolean; last: Motion | undefined; waitedMs: number }> {
  const start = performance.now();
  let last: Motion | undefined;
  while (performance.now() - start < seconds * 1_000) {
    last = await motion(pools, admin, since);
    if (last?.openOrders === 0 && (!outboxes || last.outbox === 0) && last.consumerLag === 0) return { quiet: true, last, waitedMs: performance.now() - start };
    await sleep(1_000);
  }
  return { quiet: false, last, waitedMs: performance.now() - start };
}
