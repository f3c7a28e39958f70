import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { localServers, repoRoot } from '../src/index.js';

const KAFKA_TOPICS = { group: 'kafka.strimzi.io', version: 'v1', plural: 'kafkatopics' } as const;
const CLUSTER = 'msa-kafka';
const FOREIGN = 'my-topic';

interface Run {
  readonly code: number | null;
  readonly stderr: string;
}

/** The verdict the stand-in operator writes for one KafkaTopic. */
type Verdict = { readonly ready: true } | { readonly ready: false; readonly reason: string; readonly message: string };

interface KafkaTopicItem {
  readonly metadata: { readonly name: string; readonly generation?: number };
  readonly status?: { readonly observedGeneration?: number };
}

/**
 * local/up's topic step, `operator_apply_platform_topics`, run as local/up runs it: it applies the
 * catalog's KafkaTopics to `namespace` and waits for them, for at most `timeoutSeconds`. It runs the
 * built renderer and await-topics, as local/up does; `npm test` builds them before jest starts.
 */
function applyPlatformTopics(namespace: string, timeoutSeconds: number): Promise<Run> {
  const script =
    'set -euo pipefail; source local/lib/common.sh; source local/lib/operator.sh; operator_apply_platform_topics';
  // The children are plain Node programs: jest's loader flags are not theirs.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn('bash', ['-c', script], {
    cwd: repoRoot,
    env: {
      ...env,
      MSA_OPERATOR_NAMESPACE: namespace,
      MSA_OPERATOR_CLUSTER: CLUSTER,
      MSA_OPERATOR_TOPICS_TIMEOUT: `${timeoutSeconds}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stderr });
    });
  });
}

/** The resource names of the catalog's KafkaTopics, as the operator's renderer prints them. */
async function catalogNames(): Promise<string[]> {
  const renderer = join(repoRoot, 'operator/dist/src/cli/render-topics.js');
  const render = spawn('node', [renderer, '--namespace', 'x', '--cluster', CLUSTER]);
  let yaml = '';
  render.stdout.on('data', (chunk: Buffer) => {
    yaml += chunk.toString();
  });
  const code = await new Promise((resolve) => render.on('close', resolve));
  if (code !== 0) throw new Error(`render-topics exited with ${String(code)}`);
  return [...yaml.matchAll(/^ {2}name: (.+)$/gm)].map((match) => match[1] ?? '');
}

describe('local/up: waiting for the platform topics', () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(localServers().kubeconfigPath);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  let namespace = '';

  async function writeStatus(item: KafkaTopicItem, verdict: Verdict): Promise<void> {
    const condition = verdict.ready
      ? { type: 'Ready', status: 'True' }
      : { type: 'Ready', status: 'False', reason: verdict.reason, message: verdict.message };
    await custom.patchNamespacedCustomObjectStatus({
      ...KAFKA_TOPICS,
      namespace,
      name: item.metadata.name,
      body: [
        { op: 'add', path: '/status', value: { conditions: [condition], observedGeneration: item.metadata.generation ?? 1 } },
      ],
    });
  }

  /** Plays the operator until `done` settles: every catalog topic that appears gets `verdictOf` its name. */
  async function reconcileUntil(done: Promise<unknown>, verdictOf: (name: string) => Verdict): Promise<void> {
    const run = { finished: false };
    void done.finally(() => {
      run.finished = true;
    });
    while (!run.finished) {
      const list = (await custom.listNamespacedCustomObject({ ...KAFKA_TOPICS, namespace })) as { items: KafkaTopicItem[] };
      const unjudged = list.items.filter(
        (item) => item.metadata.name !== FOREIGN && item.status?.observedGeneration !== item.metadata.generation,
      );
      await Promise.all(unjudged.map((item) => writeStatus(item, verdictOf(item.metadata.name))));
      await sleep(100);
    }
  }

  beforeEach(async () => {
    namespace = `topics-${randomUUID().slice(0, 8)}`;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    // A topic of the user's own, as the README suggests, that one broker can never make Ready.
    const foreign = (await custom.createNamespacedCustomObject({
      ...KAFKA_TOPICS,
      namespace,
      body: {
        apiVersion: `${KAFKA_TOPICS.group}/${KAFKA_TOPICS.version}`,
        kind: 'KafkaTopic',
        metadata: { name: FOREIGN, labels: { 'strimzi.io/cluster': CLUSTER } },
        spec: { partitions: 3, replicas: 3 },
      },
    })) as KafkaTopicItem;
    await writeStatus(foreign, {
      ready: false,
      reason: 'KafkaError',
      message: 'replication factor 3 is larger than the 1 available broker',
    });
  });
  afterEach(async () => {
    // The local API server runs no namespace controller, so a deleted namespace keeps its objects.
    await custom.deleteCollectionNamespacedCustomObject({ ...KAFKA_TOPICS, namespace }).catch(() => undefined);
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('given a foreign topic that never becomes Ready, when the catalog topics all do, then the step succeeds', async () => {
    const run = applyPlatformTopics(namespace, 60);
    await reconcileUntil(run, () => ({ ready: true }));

    const { code, stderr } = await run;

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  }, 200_000);

  it('given one catalog topic that is not Ready, when the time is up, then the step fails naming it and why', async () => {
    const [failing] = await catalogNames();
    if (failing === undefined) throw new Error('the catalog renders no topics');
    const message = 'replication factor 2 is larger than the 1 available broker';
    const verdict: Verdict = { ready: false, reason: 'KafkaError', message };
    const run = applyPlatformTopics(namespace, 5);
    await reconcileUntil(run, (name) => (name === failing ? verdict : { ready: true }));

    const { code, stderr } = await run;

    expect(code).toBe(1);
    expect(stderr).toContain(`${failing}: KafkaError: ${message}`);
    expect(stderr).not.toContain(FOREIGN);
  }, 200_000);
});
