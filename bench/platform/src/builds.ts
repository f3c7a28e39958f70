import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SERVICES, type ServiceName } from '@msa/bench-kit';
import { repoRoot } from '@msa/local';

const run = promisify(execFile);

/** `platform.sh` beside this package: local/'s own functions to restart services and run Kafka's tools. */
export const PLATFORM_SH = join(repoRoot, 'bench', 'platform', 'platform.sh');

/**
 * B, the naive baseline, as the services' own switches make it (each off by default): every consumed
 * message's offset committed on its own, the outbox relay polling without the store's wake-up,
 * publishing one event per send and writing its checkpoint after each, and the read cache off. Consumers already handle each message in a
 * transaction of its own, in both builds.
 */
export const BASELINE_ENVIRONMENT: Readonly<Record<string, string>> = {
  CONSUMER_COMMIT_PER_MESSAGE: 'true',
  OUTBOX_POLL_ONLY: 'true',
  OUTBOX_BATCH_SIZE: '1',
  OUTBOX_CHECKPOINT_INTERVAL: '0ms',
  READ_CACHE_OFF: 'true',
};

/** The environment a build's services start with: the bench's own, the baseline's switches added or taken out. */
export function buildEnvironment(build: 'B' | 'C', extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(BASELINE_ENVIRONMENT)) Reflect.deleteProperty(environment, name);
  return { ...environment, ...(build === 'B' ? BASELINE_ENVIRONMENT : {}), ...extra };
}

/** Restarts `services` (all six by default) with `environment`, and returns once each is ready. */
export async function restartServices(environment: NodeJS.ProcessEnv, services: readonly ServiceName[] = SERVICES): Promise<number> {
  const started = performance.now();
  await run('bash', [PLATFORM_SH, 'restart', ...services], { env: environment, timeout: 300_000 });
  return (performance.now() - started) / 1_000;
}
