import { randomBytes } from 'node:crypto';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { localServers } from '@msa/local';
import { Admin } from '@platformatic/kafka';
import { pino } from 'pino';
import { startOperator, type RunningOperator } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { kafkaTopicSchema, type Condition, type KafkaTopic } from '../../src/reconcile/kafka-topic.js';

/** Cluster label value the tests use. */
export const CLUSTER = 'msa-kafka';

const servers = localServers();

/** A kubeconfig with admin rights on the local kube-apiserver. */
export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(servers.kubeconfigPath);
  return kc;
}

/** The local kubeconfig's path. */
export const kubeconfigPath = servers.kubeconfigPath;
/** The local Kafka bootstrap address. */
export const kafkaBootstrap = servers.kafkaBrokers;

const kc = adminKubeConfig();
/** Admin clients for test set-up and assertions. */
export const core = kc.makeApiClient(CoreV1Api);
export const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
export const custom = kc.makeApiClient(CustomObjectsApi);

const api = { group: 'kafka.strimzi.io', version: 'v1', plural: 'kafkatopics' } as const;

/** A name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates a namespace of its own for one test. */
export async function createNamespace(): Promise<string> {
  const name = uniqueName('op-test');
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

/** The fields a test may set on a KafkaTopic it creates. */
export interface TopicParts {
  readonly spec?: Record<string, unknown>;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
}

/** Creates a KafkaTopic labelled for the test cluster. */
export async function createTopic(namespace: string, name: string, parts: TopicParts = {}): Promise<void> {
  await custom.createNamespacedCustomObject({
    ...api,
    namespace,
    body: {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: {
        name,
        namespace,
        labels: parts.labels ?? { 'strimzi.io/cluster': CLUSTER },
        ...(parts.annotations ? { annotations: parts.annotations } : {}),
      },
      spec: parts.spec ?? { partitions: 1, replicas: 1 },
    },
  });
}

/** Applies a JSON merge patch to a KafkaTopic (spec, annotations...). */
export async function mergePatchTopic(namespace: string, name: string, patch: Record<string, unknown>): Promise<void> {
  await custom.patchNamespacedCustomObject(
    { ...api, namespace, name, body: patch },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/** Reads a KafkaTopic, or undefined once it is gone. */
export async function readTopic(namespace: string, name: string): Promise<KafkaTopic | undefined> {
  try {
    return kafkaTopicSchema.parse(await custom.getNamespacedCustomObject({ ...api, namespace, name }));
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

/** Deletes a KafkaTopic (the operator's finalizer may keep it a while). */
export async function deleteTopic(namespace: string, name: string): Promise<void> {
  await custom.deleteNamespacedCustomObject({ ...api, namespace, name });
}

/** Polls `read` until `accept` holds; fails with the last value seen when time runs out. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The single condition of a KafkaTopic's status, if any. */
export function conditionOf(kt: KafkaTopic | undefined): Condition | undefined {
  return kt?.status?.conditions?.[0];
}

/** Waits until a KafkaTopic reports Ready=True for its current generation. */
export async function waitReady(namespace: string, name: string): Promise<KafkaTopic | undefined> {
  return eventually(
    () => readTopic(namespace, name),
    (kt) => conditionOf(kt)?.type === 'Ready' && conditionOf(kt)?.status === 'True' && kt?.status?.observedGeneration === kt?.metadata.generation,
  );
}

/** Waits until a KafkaTopic's condition has each field of `expected`, such as `{ status: 'False' }`. */
export async function waitForCondition(namespace: string, name: string, expected: Partial<Condition>): Promise<KafkaTopic | undefined> {
  return eventually(
    () => readTopic(namespace, name),
    (kt) => Object.entries(expected).every(([field, value]) => conditionOf(kt)?.[field as keyof Condition] === value),
  );
}

/** Waits until a KafkaTopic is gone from the API server (its finalizer done). */
export async function waitGone(namespace: string, name: string): Promise<void> {
  await eventually(() => readTopic(namespace, name), (kt) => kt === undefined);
}

/** Waits until Kafka no longer lists `topic`; returns the topics it lists then. */
export async function waitKafkaTopicDeleted(admin: Admin, topic: string): Promise<string[]> {
  return eventually(() => admin.listTopics(), (topics) => !topics.includes(topic));
}

/**
 * An admin client on the local broker, for asserting on Kafka directly: the operator's own client
 * library, which connects on its first request; closed after the file's tests.
 */
export function useKafkaAdmin(): Admin {
  const admin = new Admin({ clientId: uniqueName('op-test'), bootstrapBrokers: [...kafkaBootstrap] });
  afterAll(() => admin.close());
  return admin;
}

/**
 * The id Kafka reports for `topic`, written as Kafka writes it (`kafka-topics.sh --describe`):
 * the client's hex UUID as URL-safe base64 without padding. Undefined when the topic does not exist.
 */
async function kafkaTopicIdOf(admin: Admin, topic: string): Promise<string | undefined> {
  if (!(await admin.listTopics()).includes(topic)) return undefined;
  // A partition still without a leader is an error answer: not visible yet.
  const metadata = await admin.metadata({ topics: [topic], forceUpdate: true }).catch(() => undefined);
  const hex = metadata?.topics.get(topic)?.id.replaceAll('-', '');
  return hex === undefined ? undefined : Buffer.from(hex, 'hex').toString('base64url');
}

/**
 * The id Kafka reports for `topic` once the broker answering this admin shows it, and shows no longer
 * `previousId` after a recreation: Ready follows the controller's commit, the broker's metadata may
 * follow a moment later.
 */
export async function visibleKafkaTopicId(admin: Admin, topic: string, previousId?: string): Promise<string | undefined> {
  return eventually(
    () => kafkaTopicIdOf(admin, topic),
    (id) => id !== undefined && id !== previousId,
    10_000,
  );
}

/** Deletes from Kafka those of `topics` that exist, and empties the list: what a test left behind. */
export async function deleteLeftoverTopics(admin: Admin, topics: string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const leftovers = topics.splice(0).filter((topic) => existing.has(topic));
  if (leftovers.length > 0) await admin.deleteTopics({ topics: leftovers });
}

/** Operator settings a test may override; the defaults are fast to suit tests. */
export interface TestOperatorOptions {
  readonly namespace: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts an operator in this process, quiet unless OPERATOR_TEST_LOG_LEVEL is set. */
export async function startTestOperator(options: TestOperatorOptions): Promise<RunningOperator> {
  const config = loadConfig({
    OPERATOR_NAMESPACE: options.namespace,
    OPERATOR_CLUSTER_NAME: CLUSTER,
    OPERATOR_KAFKA_BOOTSTRAP: kafkaBootstrap.join(','),
    OPERATOR_RESYNC_PERIOD_MS: '2000',
    OPERATOR_RETRY_BASE_MS: '200',
    OPERATOR_RETRY_MAX_MS: '2000',
    OPERATOR_LEASE_DURATION_MS: '3000',
    OPERATOR_HTTP_PORT: '0',
    OPERATOR_IDENTITY: uniqueName('operator'),
    KUBECONFIG: kubeconfigPath,
    ...options.env,
  });
  const logger = pino({ level: process.env.OPERATOR_TEST_LOG_LEVEL ?? 'silent' });
  return startOperator(config, logger);
}
