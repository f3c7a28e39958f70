// Run in a child process by leadership.int.spec.ts, so that Node's own warnings reach a listener
// (jest's sandbox does not pass them on): leads on the database named by argv[2], runs statements
// the way the relay pipelines them while heartbeats fall due, and prints what it saw as JSON.
import { setTimeout as sleep } from 'node:timers/promises';
import { tryLead } from '../../../src/outbox/leadership.js';

const TIMEOUT_MS = 3_000;
const warnings: string[] = [];
process.on('warning', (warning) => {
  warnings.push(warning.message);
});

const session = await tryLead({ connectionString: process.argv[2] }, 'pipelined-leader', TIMEOUT_MS, () => undefined);
if (session === undefined) throw new Error('the lock was free, so this session must lead');
// A checkpoint save still running when the next read and the one after start, with heartbeats
// falling due meanwhile.
const save = session.client.query('select pg_sleep(1.2)');
await sleep(TIMEOUT_MS / 6 + 100);
await Promise.all([save, session.client.query('select 1'), session.client.query('select 2')]);
let leading = true;
try {
  session.assertLeading();
} catch {
  leading = false;
}
await session.close();
// Warnings are emitted on the next tick.
await sleep(10);
process.stdout.write(JSON.stringify({ warnings, leading }));
