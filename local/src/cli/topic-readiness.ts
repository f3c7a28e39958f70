import { setTimeout as sleep } from 'node:timers/promises';
import {
  createConfiguration,
  CustomObjectsApi,
  ServerConfiguration,
  type KubeConfig,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

const KAFKA_TOPICS = { group: 'kafka.strimzi.io', version: 'v1', plural: 'kafkatopics' } as const;

/** A KafkaTopic that is not Ready, and why: its condition's reason and message, or what is missing. */
export interface NotReady {
  readonly name: string;
  readonly reason: string;
  readonly message: string;
}

/** The parts of a KafkaTopic the wait reads; anything may be missing from what the API returns. */
interface KafkaTopicShape {
  readonly metadata?: { readonly name?: unknown; readonly generation?: unknown };
  readonly status?: { readonly observedGeneration?: unknown; readonly conditions?: unknown };
}

interface ConditionShape {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly reason?: unknown;
  readonly message?: unknown;
}

/**
 * Which of `names` are not Ready among `items` (the items of a KafkaTopic list), in the order of
 * `names`. Ready means a `Ready=True` condition written for the current generation: a status from
 * before the last apply says nothing about the spec now in force. Topics not named are ignored.
 */
export function notReadyTopics(items: readonly unknown[], names: readonly string[]): NotReady[] {
  const byName = new Map<string, KafkaTopicShape>();
  for (const item of items) {
    const topic = item as KafkaTopicShape;
    if (typeof topic.metadata?.name === 'string') byName.set(topic.metadata.name, topic);
  }
  return names.flatMap((name) => {
    const why = whyNotReady(byName.get(name));
    return why === undefined ? [] : [{ name, ...why }];
  });
}

function whyNotReady(topic: KafkaTopicShape | undefined): Omit<NotReady, 'name'> | undefined {
  if (topic === undefined) return { reason: 'NotFound', message: 'no KafkaTopic of this name in the namespace' };
  const { generation } = topic.metadata ?? {};
  const { observedGeneration, conditions } = topic.status ?? {};
  const all = (Array.isArray(conditions) ? conditions : []) as ConditionShape[];
  const condition = all.find((one) => one.type === 'Ready') ?? all[0];
  if (condition === undefined) return { reason: 'NoStatus', message: 'the operator has not reported on it yet' };
  if (typeof generation === 'number' && typeof observedGeneration === 'number' && observedGeneration < generation) {
    const message = `generation ${generation} not reconciled yet (status is of ${observedGeneration})`;
    return { reason: 'NotReconciled', message };
  }
  if (condition.type === 'Ready' && condition.status === 'True') return undefined;
  return {
    reason: typeof condition.reason === 'string' ? condition.reason : `${String(condition.type)}=${String(condition.status)}`,
    message: typeof condition.message === 'string' ? condition.message : '',
  };
}

/** Options for `awaitTopicsReady`. */
export interface AwaitTopicsOptions {
  readonly api: CustomObjectsApi;
  readonly namespace: string;
  /** The KafkaTopics to wait for, by resource name; others in the namespace are not looked at. */
  readonly names: readonly string[];
  /** How long to wait for them all. */
  readonly timeoutMs: number;
  /** Pause between two looks. @default 500 */
  readonly pollMs?: number;
}

/**
 * Lists the namespace's KafkaTopics until every one of `names` is Ready or `timeoutMs` has passed,
 * and resolves to those still not Ready (none when all are). A list that fails is tried again on the
 * next look; one that still fails when the time is up rejects, since then nothing is known.
 */
export async function awaitTopicsReady(options: AwaitTopicsOptions): Promise<NotReady[]> {
  const { api, namespace, names, timeoutMs, pollMs = 500 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let notReady: NotReady[] | undefined;
    let failure: unknown;
    try {
      const list = (await api.listNamespacedCustomObject({ ...KAFKA_TOPICS, namespace })) as { items?: unknown };
      notReady = notReadyTopics(Array.isArray(list.items) ? (list.items as unknown[]) : [], names);
    } catch (error) {
      failure = error;
    }
    if (notReady?.length === 0) return notReady;
    if (Date.now() >= deadline) {
      if (notReady !== undefined) return notReady;
      throw new Error(`listing the KafkaTopics of namespace ${namespace} failed: ${describe(failure)}`);
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}

// fetch reports a refused or reset connection as `fetch failed`, with what happened as its cause.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

/**
 * A custom objects client on `kubeConfig` whose every request is aborted after `requestTimeoutMs`,
 * so an API server that accepts the connection and then hangs cannot stall the wait past its time.
 */
export function customObjectsApi(kubeConfig: KubeConfig, requestTimeoutMs: number): CustomObjectsApi {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const timeout = {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(requestTimeoutMs));
      return Promise.resolve(context);
    },
    post: (context: ResponseContext) => Promise.resolve(context),
  };
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [timeout],
  });
  return new CustomObjectsApi(configuration);
}
