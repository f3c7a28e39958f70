import { READ_LOG_SQL } from '../../src/outbox/log-reader.js';
import { createTestDatabase, type TestDatabase } from '../event-store/support/database.js';

/** Every plan node type in an EXPLAIN (FORMAT JSON) result. */
function nodeTypes(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(nodeTypes);
  if (typeof plan !== 'object' || plan === null) return [];
  const node = plan as { 'Node Type'?: string; Plans?: unknown[]; Plan?: unknown };
  return [
    ...(node['Node Type'] === undefined ? [] : [node['Node Type']]),
    ...(node.Plan === undefined ? [] : nodeTypes(node.Plan)),
    ...(node.Plans ?? []).flatMap(nodeTypes),
  ];
}

describe('outbox relay statements on a large log', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('outbox_plans');
    // Given 200,000 published events, in transactions of 100, inserted 10,000 per statement: every
    // relay on the server waits for the oldest open transaction, so none is held open for long.
    for (let from = 0; from < 200_000; from += 10_000) {
      await db.pool.query(
        `insert into events (transaction_id, stream_id, version, event_id, event_type, aggregate_type, aggregate_id,
                             schema_version, correlation_id, causation_id, occurred_at, payload, topic)
         select ((g / 100) + 1000)::text::xid8, 's-' || (g / 10), g % 10 + 1, gen_random_uuid(), 'UserUpdated', 'User',
                's-' || (g / 10), 1, 'c', 'c', now(), '{}', 'user.profile.updated'
           from generate_series($1::integer, $1::integer + 9999) as g`,
        [from],
      );
    }
    await db.pool.query('vacuum analyze events');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('given a cursor at the end, when the relay read is planned for any cursor, then both its branches probe the index', async () => {
    const client = await db.pool.connect();
    try {
      await client.query(`prepare relay_statement(xid8, bigint, integer) as ${READ_LOG_SQL}`);
      await client.query('set plan_cache_mode = force_generic_plan');

      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
        `explain (format json) execute relay_statement('2999', '199999', '1000')`,
      );

      const nodes = nodeTypes(rows[0]?.['QUERY PLAN']);
      expect(nodes).not.toContain('Seq Scan');
      expect(nodes.filter((type) => type.startsWith('Index'))).toHaveLength(2);
    } finally {
      await client.query('deallocate all');
      client.release();
    }
  });
});
