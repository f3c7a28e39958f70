import { consumerGroups, topicsConsumedBy, type ConsumerGroup } from '@msa/contracts';
import type { Admin } from 'kafkajs';
import pg from 'pg';
import { SERVICES, type Platform, type ServiceName } from './platform.js';

/** A pool on each service's own database, as `local/lib/services.sh` names them. */
export type ServicePools = Readonly<Record<ServiceName, pg.Pool>>;

export function servicePools(platform: Platform): ServicePools {
  return Object.fromEntries(
    SERVICES.map((name) => {
      const pool = new pg.Pool({ connectionString: `postgres://msa:msa@127.0.0.1:${platform.postgresPort}/${name}`, max: 2, connectionTimeoutMillis: 5_000 });
      // A restarted PostgreSQL ends idle clients; the pool replaces them, the error is not the bench's.
      pool.on('error', () => undefined);
      return [name, pool];
    }),
  ) as Record<ServiceName, pg.Pool>;
}

export async function closePools(pools: ServicePools): Promise<void> {
  await Promise.all(Object.values(pools).map((pool) => pool.end()));
}

/** The consumer groups of the saga's four services. */
export const SAGA_GROUPS = (Object.keys(consumerGroups) as ConsumerGroup[]).filter((group) =>
  ['order', 'inventory', 'payment', 'notification'].includes(consumerGroups[group].service),
);

/** Messages the saga's groups have not committed yet, summed per group. */
export async function consumerLag(admin: Admin): Promise<Map<string, number>> {
  const ends = new Map<string, Map<number, number>>();
  const endsOf = async (topic: string): Promise<Map<number, number>> => {
    let known = ends.get(topic);
    if (known === undefined) {
      known = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, Number(high)]));
      ends.set(topic, known);
    }
    return known;
  };
  const lag = new Map<string, number>();
  for (const group of SAGA_GROUPS) {
    let behind = 0;
    const topics = [...topicsConsumedBy(group)];
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics })) {
      const high = await endsOf(topic);
      for (const { partition, offset } of partitions) {
        const end = high.get(partition) ?? 0;
        behind += Number(offset) < 0 ? 0 : Math.max(0, end - Number(offset));
      }
    }
    lag.set(group, behind);
  }
  return lag;
}

/** Events a service appended that its outbox relay has not published yet, and the oldest one's age. */
export async function outboxLag(pool: pg.Pool): Promise<{ events: number; oldestMs: number }> {
  const { rows } = await pool.query<{ events: number; oldest_ms: number }>(
    `select count(*)::int as events,
            coalesce(extract(epoch from clock_timestamp() - min(e.recorded_at)) * 1000, 0)::int as oldest_ms
       from events e
       left join outbox_checkpoints c on c.relay = 'default'
      where (e.transaction_id, e.position) > (coalesce(c.transaction_id, '0'::xid8), coalesce(c.position, 0))`,
  );
  return { events: rows[0]?.events ?? 0, oldestMs: rows[0]?.oldest_ms ?? 0 };
}
