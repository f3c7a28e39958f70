import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { repoRoot } from '@msa/local';
import { SERVICES, type ServiceName } from '@msa/bench-kit';

const run = promisify(execFile);
const FAULT_SH = join(repoRoot, 'bench', 'chaos', 'fault.sh');

/** The kinds of fault the suite injects. */
export const FAULT_KINDS = [
  'service-kill',
  'service-freeze',
  'kafka-kill',
  'postgres-crash',
  'redis-restart',
  'ferretdb-restart',
  'mailpit-down',
  'gateway-slow',
  'gateway-failing',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The servers a fault stops, beside the services. */
export const SERVERS = ['kafka', 'postgres', 'redis', 'ferretdb', 'mailpit'] as const;
export type Target = ServiceName | (typeof SERVERS)[number];
export const TARGETS: readonly Target[] = [...SERVERS, ...SERVICES];

/** One fault: what, on which server or service, and how long it stays down before the repair. */
export interface Fault {
  readonly kind: FaultKind;
  readonly target: Target;
  readonly holdMs: number;
}

/** What one fault did: when it began, when the platform had its process back, and what went wrong repairing it. */
export interface FaultRun {
  readonly fault: Fault;
  readonly startedAt: number;
  readonly backAt: number;
}

/** The sandbox settings of the payment service a gateway fault restarts it with. */
const GATEWAY = { 'gateway-slow': { PAYMENT_SANDBOX_LATENCY: '3s' }, 'gateway-failing': { PAYMENT_SANDBOX_ERROR_RATE: '0.5' } } as const;

/** One step of `fault.sh`, bounded: the longest is a start that waits for Kafka's recovery. */
async function step(action: string, target: Target, environment: Record<string, string> = {}): Promise<void> {
  await run('bash', [FAULT_SH, action, target], { timeout: 150_000, env: { ...process.env, ...environment } });
}

/**
 * Starts `target` until it is healthy. A service cannot start while PostgreSQL or Kafka is down (a
 * fault of their own may be in progress), so a failed start is tried again every two seconds, for up
 * to three minutes.
 */
export async function ensureStarted(target: Target, environment: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await step('start', target, environment);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${target} did not start within 3 minutes`, { cause: error });
      await sleep(2_000);
    }
  }
}

/** Injects one fault and repairs it; resolves once the target's process is back and healthy. */
export async function inject(fault: Fault): Promise<FaultRun> {
  const startedAt = performance.now();
  const hold = (): Promise<void> => sleep(fault.holdMs);
  switch (fault.kind) {
    case 'service-kill':
    case 'kafka-kill':
      await step('kill', fault.target);
      await hold();
      await ensureStarted(fault.target);
      break;
    case 'service-freeze':
      await step('freeze', fault.target);
      await hold();
      await step('thaw', fault.target);
      break;
    case 'postgres-crash':
      await step('crash-postgres', fault.target);
      await hold();
      await ensureStarted(fault.target);
      break;
    case 'redis-restart':
    case 'ferretdb-restart':
    case 'mailpit-down':
      await step('stop', fault.target);
      await hold();
      await ensureStarted(fault.target);
      break;
    case 'gateway-slow':
    case 'gateway-failing':
      await step('stop', fault.target);
      await ensureStarted(fault.target, GATEWAY[fault.kind]);
      await hold();
      await step('stop', fault.target);
      await ensureStarted(fault.target);
      break;
    default: {
      const never: never = fault.kind;
      throw new Error(`unknown fault ${String(never)}`);
    }
  }
  return { fault, startedAt, backAt: performance.now() };
}

/** Whether the pid file of `target` names a live process (a stopped one counts: it is frozen, not gone). */
export function isRunning(stateDir: string, target: Target): boolean {
  try {
    const pid = Number(readFileSync(join(stateDir, 'run', `${target}.pid`), 'utf8').trim());
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
