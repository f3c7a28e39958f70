import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@msa/local';

const run = promisify(execFile);
const HOOKS = new URL('./support/typescript-hooks.ts', import.meta.url);
const SCRIPT = new URL('./support/pipelined-leader.ts', import.meta.url);

describe('outbox relay leadership session', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('outbox_leadership');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('given a leader pipelining statements while heartbeats fall due, when they run, then none is queued on the driver behind another and the lease still holds', async () => {
    const { stdout } = await run(process.execPath, ['--import', HOOKS.href, SCRIPT.pathname, database.url], {
      timeout: 30_000,
    });

    // pg 8 warns when a statement is queued behind a running one; pg 9 will refuse it.
    expect(JSON.parse(stdout)).toEqual({ warnings: [], leading: true });
  });
});
