import { eventTopics } from '@msa/contracts';
import type { Admin } from 'kafkajs';
import { consumerLag, outboxLag, type ServicePools } from './pools.js';
import { cpuSeconds, deltas, transactionsCommitted } from './probes.js';
import { type Offer, offer, type StepResult } from './ramp.js';
import type { StepCosts } from './report.js';

/** What a bench watches while a step runs. */
export interface StepProbes {
  readonly admin: Admin;
  readonly pools: ServicePools;
  /** The processes whose CPU time counts, by name (`platformProcesses`). */
  readonly processes: ReadonlyMap<string, number>;
}

/** Messages in every catalog topic so far: the sum of their partitions' end offsets. */
export async function topicMessages(admin: Admin): Promise<number> {
  let total = 0;
  for (const { name } of eventTopics) {
    for (const { high } of await admin.fetchTopicOffsets(name)) total += Number(high);
  }
  return total;
}

const SAGA_SERVICES = ['order', 'inventory', 'payment', 'notification'] as const;

/** Messages the saga's groups have not committed and events its relays have not published, summed. */
async function backlog(admin: Admin, pools: ServicePools): Promise<number> {
  let behind = 0;
  for (const lag of (await consumerLag(admin)).values()) behind += lag;
  for (const name of SAGA_SERVICES) behind += (await outboxLag(pools[name])).events;
  return behind;
}

/**
 * Waits up to `seconds` until nothing is left behind (see `backlog`), so a step does not pay for
 * the one before it; returns how long it waited and what was still behind then.
 */
export async function drain(admin: Admin, pools: ServicePools, seconds: number): Promise<{ readonly waitedSeconds: number; readonly behind: number }> {
  const started = performance.now();
  const deadline = started + seconds * 1_000;
  for (;;) {
    const behind = await backlog(admin, pools);
    if (behind === 0 || performance.now() >= deadline) return { waitedSeconds: (performance.now() - started) / 1_000, behind };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Offers one rate (see `offer`), after up to `drainSeconds` (default 0) for the backlog the step
 * before left to be worked off, sampling the saga groups' consumer lag and the outbox lag of the
 * saga's services every second while it runs, and measures what it cost: CPU-seconds per process,
 * PostgreSQL transactions per service database, messages written to the catalog's topics.
 */
export async function measuredStep(
  probes: StepProbes,
  step: Offer & { readonly drainSeconds?: number },
): Promise<{ step: StepResult; costs: StepCosts }> {
  const { admin, pools, processes } = probes;
  const drained = step.drainSeconds === undefined || step.drainSeconds === 0 ? undefined : await drain(admin, pools, step.drainSeconds);
  const cpuBefore = cpuSeconds(processes);
  const xactBefore = await transactionsCommitted(pools.order);
  const messagesBefore = await topicMessages(admin);
  const lagMax = new Map<string, number>();
  const outboxMax = new Map<string, { events: number; oldestMs: number }>();
  const sampling = new AbortController();
  const sampler = (async () => {
    while (!sampling.signal.aborted) {
      for (const [group, lag] of await consumerLag(admin)) lagMax.set(group, Math.max(lagMax.get(group) ?? 0, lag));
      for (const name of SAGA_SERVICES) {
        const lag = await outboxLag(pools[name]);
        const seen = outboxMax.get(name) ?? { events: 0, oldestMs: 0 };
        outboxMax.set(name, { events: Math.max(seen.events, lag.events), oldestMs: Math.max(seen.oldestMs, lag.oldestMs) });
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  const result = await offer(step);
  sampling.abort();
  await sampler;
  const cpu = deltas(cpuSeconds(processes), cpuBefore);
  const transactions = deltas(await transactionsCommitted(pools.order), xactBefore);
  const kafkaMessages = (await topicMessages(admin)) - messagesBefore;
  return { step: result, costs: { cpuSeconds: cpu, transactions, consumerLag: lagMax, outboxLag: outboxMax, kafkaMessages, ...(drained === undefined ? {} : { drained }) } };
}
