import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { readLocalConfig, repoRoot } from '@msa/local';

const run = promisify(execFile);

/** The binaries local/up built (local/lib/prometheus.sh), in this checkout's .local/bin. */
export function prometheusBinary(name: 'prometheus' | 'promtool'): string {
  const state = readLocalConfig().get('MSA_STATE_DIR') ?? '.local';
  return join(isAbsolute(state) ? state : join(repoRoot, state), 'bin', name);
}

/** What promtool printed and how it exited. */
export interface ToolResult {
  readonly code: number;
  readonly output: string;
}

/** Runs promtool with `args` in `cwd`; a non-zero exit is a result, not a rejection. */
export async function promtool(args: readonly string[], cwd: string): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(prometheusBinary('promtool'), [...args], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A temporary directory with `files` written into it; `remove` deletes it. */
export async function scratchDir(files: Readonly<Record<string, string>>): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'msa-observability-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(path, name), text);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === 'string') throw new Error('no port was bound');
  return address.port;
}

/** One series of an instant query's answer. */
export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

/** A Prometheus a spec started for itself. */
export interface TestPrometheus {
  readonly url: string;
  /** An instant query's series; rejects naming the expression when Prometheus refuses it. */
  query(expr: string): Promise<Sample[]>;
  /** The scrape targets' health, by job and instance. */
  targets(): Promise<{ job: string; instance: string; health: string }[]>;
  stop(): Promise<void>;
}

interface ApiAnswer<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly error?: string;
}

/**
 * Starts Prometheus on `configYaml` in a temporary directory, on a free loopback port, and waits until
 * it is ready; `stop` ends it and removes the directory.
 */
export async function startPrometheus(configYaml: string): Promise<TestPrometheus> {
  const dir = await scratchDir({ 'prometheus.yml': configYaml });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    prometheusBinary('prometheus'),
    [`--config.file=${join(dir.path, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir.path, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await dir.remove();
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await dir.remove();
      throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  async function api<T>(path: string): Promise<T> {
    const answer = (await (await fetch(`${url}${path}`)).json()) as ApiAnswer<T>;
    if (answer.status !== 'success' || answer.data === undefined) throw new Error(`${path}: ${answer.error ?? 'no data'}`);
    return answer.data;
  }
  return {
    url,
    async query(expr) {
      const data = await api<{ resultType: string; result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      return data.result;
    },
    async targets() {
      const data = await api<{ activeTargets: { labels: Record<string, string>; health: string }[] }>('/api/v1/targets');
      return data.activeTargets.map(({ labels, health }) => ({ job: labels.job ?? '', instance: labels.instance ?? '', health }));
    },
    stop,
  };
}
