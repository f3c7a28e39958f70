import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { until } from './until.js';

const HOOKS = new URL('./typescript-hooks.ts', import.meta.url);
const MAIN = new URL('../../../src/outbox/main.ts', import.meta.url);

/** One line the relay logged, as pino wrote it. */
export interface RelayLogLine {
  readonly msg: string;
  readonly level: string;
  /** When the test read it, from `Date.now()`. */
  readonly seenAt: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A standalone relay (`src/outbox/main.ts`) running in a child process the test owns. */
export interface RelayProcess {
  readonly logs: readonly RelayLogLine[];
  /** Its exit code, or the signal that ended it; `undefined` while it runs. */
  readonly exit: number | NodeJS.Signals | undefined;
  /** The first line logged with `msg` at or after index `from` of `logs`; rejects after `timeoutMs`. */
  waitForLog(msg: string, options?: { readonly from?: number; readonly timeoutMs?: number }): Promise<RelayLogLine>;
  /** `outbox_published_total` summed over topics, from its `/metrics`. */
  publishedTotal(): Promise<number>;
  /** Sends `signal` to the process (SIGSTOP freezes it, SIGCONT thaws it). */
  kill(signal: NodeJS.Signals): void;
  /** Thaws it if frozen, sends SIGTERM and resolves with how it ended; SIGKILL after `timeoutMs`. */
  terminate(timeoutMs?: number): Promise<number | NodeJS.Signals | undefined>;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/**
 * Starts the standalone relay from its sources with `env` as its whole environment (plus `PATH`), so
 * nothing of the test runner's own (NODE_ENV=test changes kafkajs's retries) leaks in.
 */
export async function startRelayProcess(env: Readonly<Record<string, string>>): Promise<RelayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', HOOKS.href, MAIN.pathname], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: RelayLogLine[] = [];
  const stderr: string[] = [];
  let exit: number | NodeJS.Signals | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = code ?? signal ?? 'SIGKILL';
      resolve();
    });
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const fields = JSON.parse(line) as Record<string, unknown>;
      logs.push({ msg: String(fields.msg), level: String(fields.level), seenAt: Date.now(), fields });
    } catch {
      stderr.push(line);
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exitedEarly = (): Error => new Error(`the relay exited with ${String(exit)}: ${stderr.join('\n')}`);

  return {
    logs,
    get exit() {
      return exit;
    },
    async waitForLog(msg, { from = 0, timeoutMs = 20_000 } = {}) {
      const find = () => logs.slice(from).find((line) => line.msg === msg);
      await until(() => {
        if (exit !== undefined && find() === undefined) throw exitedEarly();
        return find() !== undefined;
      }, timeoutMs).catch((error: unknown) => {
        throw new Error(`no "${msg}" from the relay: ${String(error)}; it logged ${logs.map((l) => l.msg).join(' | ')}`);
      });
      const line = find();
      if (line === undefined) throw exitedEarly();
      return line;
    },
    async publishedTotal() {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) });
      const text = await response.text();
      return text
        .split('\n')
        .filter((line) => line.startsWith('outbox_published_total{'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    },
    kill(signal) {
      child.kill(signal);
    },
    async terminate(timeoutMs = 20_000) {
      if (exit === undefined) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      return exit;
    },
  };
}
