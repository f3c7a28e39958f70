import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@msa/local';
import { programUrl } from './order-flow.js';

const run = promisify(execFile);

/** The programs `npm start` runs, each serving `/metrics`. */
export const programs = ['user', 'product', 'inventory', 'payment', 'order', 'notification', 'operator'] as const;

/** The services answer readiness on `/health/ready`, the operator on `/readyz`. */
const ready = (program: (typeof programs)[number]): Promise<boolean> =>
  fetch(`${programUrl(program)}${program === 'operator' ? '/readyz' : '/health/ready'}`, { signal: AbortSignal.timeout(5_000) }).then(
    (response) => response.ok,
    () => false,
  );

/**
 * Makes sure the platform runs as `npm start` runs it. `npm test` starts the servers alone, so on a
 * fresh machine this starts the operator and the services with `local/up`, which leaves alone
 * whatever already runs (and, like `npm start`, leaves them running for `npm stop`).
 */
export async function ensurePlatformRunning(): Promise<void> {
  const answers = await Promise.all(programs.map(ready));
  if (answers.every(Boolean)) return;
  await run('bash', [join(repoRoot, 'local', 'up')], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  const missing = (await Promise.all(programs.map(async (program) => ((await ready(program)) ? undefined : program)))).filter((program) => program !== undefined);
  if (missing.length > 0) throw new Error(`local/up ran, yet ${missing.join(', ')} are not ready`);
}
