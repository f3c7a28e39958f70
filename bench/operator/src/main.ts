import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { localServers, repoRoot } from '@msa/local';
import { keepAliveApiClients } from '@msa/operator';
import { z } from 'zod';

// Applies N KafkaTopics at once to a freshly started operator (the real program, in a namespace of
// its own) and prints how long until all are Ready, reconciliations per second and the operator's
// memory; then deletes them and reports how long the finalizers took to delete the Kafka topics.

const settings = z
  .object({
    BENCH_TOPICS: z.coerce.number().int().positive().default(500),
    BENCH_APPLY_CONCURRENCY: z.coerce.number().int().positive().default(50),
    BENCH_TIMEOUT_MS: z.coerce.number().int().positive().default(600_000),
  })
  .parse(process.env);

const root = repoRoot;
const servers = localServers();
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(servers.kubeconfigPath);
// Keep-alive clients, so that applying measures the API server rather than TLS handshakes.
const apiClient = keepAliveApiClients(kubeConfig);
const core = apiClient(CoreV1Api);
const custom = apiClient(CustomObjectsApi);
const api = { group: 'kafka.strimzi.io', version: 'v1', plural: 'kafkatopics' } as const;
const cluster = 'msa-kafka';

const listShape = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ generation: z.number().optional() }),
      status: z
        .object({
          observedGeneration: z.number().optional(),
          conditions: z.array(z.object({ type: z.string(), status: z.string() })).optional(),
        })
        .optional(),
    }),
  ),
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Resident and peak resident memory of a process, in MiB, from /proc. */
function memoryMib(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** CPU time a process has used so far, in seconds (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat, counted in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + settings.BENCH_TIMEOUT_MS;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await task(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

async function countReady(namespace: string): Promise<{ total: number; ready: number }> {
  const list = listShape.parse(await custom.listNamespacedCustomObject({ ...api, namespace }));
  const ready = list.items.filter(
    (kt) =>
      kt.status?.observedGeneration === kt.metadata.generation &&
      kt.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
  return { total: list.items.length, ready };
}

function startOperator(namespace: string, port: number): ChildProcess {
  const logDir = join(root, '.local', 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'bench-operator.log'));
  const child = spawn(process.execPath, [join(root, 'operator', 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      OPERATOR_NAMESPACE: namespace,
      OPERATOR_CLUSTER_NAME: cluster,
      OPERATOR_KAFKA_BOOTSTRAP: servers.kafkaBrokers.join(','),
      OPERATOR_HTTP_PORT: String(port),
      KUBECONFIG: servers.kubeconfigPath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const run = randomBytes(3).toString('hex');
  const namespace = `bench-operator-${run}`;
  const names = Array.from({ length: settings.BENCH_TOPICS }, (_, i) => `bench-${run}-${String(i).padStart(4, '0')}`);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  const port = await freePort();
  const operator = startOperator(namespace, port);
  const pid = operator.pid ?? 0;
  try {
    await until('the operator to lead', async () => (await metric(port, 'topic_operator_leader')) === 1);
    const idle = memoryMib(pid);
    const cpuBefore = cpuSeconds(pid);

    const started = performance.now();
    await inParallel(names, settings.BENCH_APPLY_CONCURRENCY, (name) =>
      custom.createNamespacedCustomObject({
        ...api,
        namespace,
        body: {
          apiVersion: 'kafka.strimzi.io/v1',
          kind: 'KafkaTopic',
          metadata: { name, namespace, labels: { 'strimzi.io/cluster': cluster } },
          spec: { partitions: 1, replicas: 1, config: { 'retention.ms': 3_600_000 } },
        },
      }),
    );
    const applied = performance.now();
    await until('every KafkaTopic to be Ready', async () => (await countReady(namespace)).ready === names.length);
    const ready = performance.now();
    const reconciliations = await metric(port, 'topic_operator_reconciliations_total');
    const failures = await metric(port, 'topic_operator_reconciliation_failures_total');
    const busy = memoryMib(pid);
    const cpuToReady = cpuSeconds(pid) - cpuBefore;

    await inParallel(names, settings.BENCH_APPLY_CONCURRENCY, (name) => custom.deleteNamespacedCustomObject({ ...api, namespace, name }));
    await until('every KafkaTopic to be deleted', async () => (await countReady(namespace)).total === 0);
    const deleted = performance.now();
    const end = memoryMib(pid);

    const seconds = (from: number, to: number) => (to - from) / 1000;
    const lines = [
      `KafkaTopics applied at once:        ${names.length} (${settings.BENCH_APPLY_CONCURRENCY} requests in flight)`,
      `applying took:                      ${fmt(seconds(started, applied))} s`,
      `all Ready after:                    ${fmt(seconds(started, ready))} s from the first apply`,
      `topics Ready per second:            ${fmt(names.length / seconds(started, ready))}`,
      `reconciliations:                    ${reconciliations} (${failures} failed), ${fmt(reconciliations / seconds(started, ready))} per second`,
      `operator CPU until all Ready:       ${fmt(cpuToReady)} s (${fmt((cpuToReady * 1000) / names.length)} ms per topic)`,
      `all deleted (finalizers) after:     ${fmt(seconds(ready, deleted))} s, ${fmt(names.length / seconds(ready, deleted))} per second`,
      `operator RSS idle / all Ready / peak: ${fmt(idle.rss, 0)} / ${fmt(busy.rss, 0)} / ${fmt(end.peak, 0)} MiB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    operator.kill('SIGTERM');
    await new Promise((done) => operator.once('exit', done));
    await core.deleteNamespace({ name: namespace });
  }
}

await main();
