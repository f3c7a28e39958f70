import { ensureConsumerSchema } from '../../src/consumer/schema.js';
import { createDatabase, unique, type PooledTestDatabase } from '../consumer/fixture.js';
import { runCli } from './run-cli.js';

describe('dlt prune-inbox', () => {
  const reads = unique('test-prune-cli');
  const retired = unique('test-prune-cli-retired');
  let database: PooledTestDatabase;

  // Only the database: the command never talks to Kafka.
  const run = (...args: string[]) => runCli({ DATABASE_URL: database.url }, 'prune-inbox', ...args);

  async function seed(group: string, rows: number, age: string): Promise<void> {
    await database.pool.query(
      `insert into consumer_inbox (consumer_group, event_id, topic, partition, "offset", handled_at)
       select $1, gen_random_uuid(), 'test.topic', 0, n, now() - $2::interval from generate_series(1, $3) as n`,
      [group, age, rows],
    );
  }

  async function counts(): Promise<Record<string, number>> {
    const { rows } = await database.pool.query<{ consumer_group: string; rows: string }>(
      'select consumer_group, count(*) as rows from consumer_inbox group by consumer_group',
    );
    return Object.fromEntries(rows.map((row) => [row.consumer_group, Number(row.rows)]));
  }

  beforeAll(async () => {
    database = await createDatabase('cli_prune_inbox');
    await ensureConsumerSchema(database.pool);
    await seed(reads, 25, '50 days');
    await seed(reads, 5, '10 days');
    await seed(retired, 12, '60 days');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('given old rows of two groups, when run without --execute, then it counts what the default six weeks would delete and deletes nothing', async () => {
    const { out, exitCode } = await run();

    expect(exitCode).toBe(0);
    expect(out).toMatch(/^inbox rows handled before \S+ \(older than 42 days\):/);
    expect(out).toContain(`  ${reads}: 25 rows\n`);
    expect(out).toContain(`  ${retired}: 12 rows\n`);
    expect(out).toContain('dry run: nothing was deleted; add --execute to delete them, 1000 rows per statement');
    expect(await counts()).toEqual({ [reads]: 30, [retired]: 12 });
  });

  it('given a shorter retention and one group, when run with --execute, then only that group’s rows older than it go, in batches', async () => {
    const { out, exitCode } = await run('--group', reads, '--retention', '7d', '--batch-size', '10', '--execute');

    expect(exitCode).toBe(0);
    expect(out).toContain(`  ${reads}: 30 rows\n`);
    expect(out).not.toContain(retired);
    expect(out).toMatch(new RegExp(`  ${reads}: 30 rows handled before \\S+ deleted in 3 batches`));
    expect(await counts()).toEqual({ [retired]: 12 });
  });

  it('given no group, when run with --execute, then every group’s old rows go', async () => {
    const { out, exitCode } = await run('--execute');

    expect(exitCode).toBe(0);
    expect(out).toMatch(new RegExp(`  ${retired}: 12 rows handled before \\S+ deleted in 1 batch`));
    expect(await counts()).toEqual({});
  });
});
