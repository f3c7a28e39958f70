import { makeInformer, type CustomObjectsApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { CLUSTER_LABEL, KAFKA_TOPIC_API, kafkaTopicSchema, resourceKey, type KafkaTopic } from '../reconcile/kafka-topic.js';
import { listKafkaTopics } from './kafka-topics-api.js';

/** Called for every add, update and delete: `current` is undefined once the resource is gone. */
export type TopicChangeHandler = (key: string, previous: KafkaTopic | undefined, current: KafkaTopic | undefined) => void;

/** Settings of a {@link TopicInformer}. */
export interface TopicInformerOptions {
  readonly namespace: string;
  readonly clusterName: string;
  /** Delay before the watch is restarted after an error. */
  readonly restartDelayMs: number;
}

/**
 * A watch-backed cache of the KafkaTopics of one namespace that carry this operator's
 * `strimzi.io/cluster` label. Objects are validated once per version at this edge; one that does
 * not parse is logged and left out rather than failing the whole cache.
 */
export class TopicInformer {
  private readonly informer;
  private readonly parsed = new WeakMap<KubernetesObject, KafkaTopic | null>();
  private readonly known = new Map<string, KafkaTopic>();
  private readonly handlers: TopicChangeHandler[] = [];
  private stopped = false;
  private hasSynced = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    kubeConfig: KubeConfig,
    api: CustomObjectsApi,
    private readonly options: TopicInformerOptions,
    private readonly logger: Logger,
  ) {
    const { group, version, plural } = KAFKA_TOPIC_API;
    const selector = `${CLUSTER_LABEL}=${options.clusterName}`;
    this.informer = makeInformer(
      kubeConfig,
      `/apis/${group}/${version}/namespaces/${options.namespace}/${plural}`,
      listKafkaTopics(api, options.namespace, selector),
      selector,
    );
    this.informer.on('add', (obj) => {
      this.changed(obj, false);
    });
    this.informer.on('update', (obj) => {
      this.changed(obj, false);
    });
    this.informer.on('delete', (obj) => {
      this.changed(obj, true);
    });
    this.informer.on('error', (error: unknown) => {
      this.restart(error);
    });
  }

  /** True once the first list has been loaded; the cache is then complete enough to act on. */
  get synced(): boolean {
    return this.hasSynced;
  }

  /** Registers a handler of changes. */
  onChange(handler: TopicChangeHandler): void {
    this.handlers.push(handler);
  }

  /** Lists, then watches; resolves once the first list is loaded or has failed (a retry is then scheduled). */
  async start(): Promise<void> {
    this.stopped = false;
    const attempt = { failed: false };
    const markFailed = () => {
      attempt.failed = true;
    };
    this.informer.on('error', markFailed);
    await this.informer.start();
    this.informer.off('error', markFailed);
    if (!attempt.failed) this.hasSynced = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.informer.stop();
  }

  /** The cached KafkaTopic with `key` (`namespace/name`), if valid. */
  get(key: string): KafkaTopic | undefined {
    return this.known.get(key);
  }

  /** Every valid cached KafkaTopic. */
  list(): KafkaTopic[] {
    return [...this.known.values()];
  }

  private changed(obj: KubernetesObject, deleted: boolean): void {
    const kt = this.parse(obj);
    if (kt === undefined) return;
    const key = resourceKey(kt);
    const previous = this.known.get(key);
    if (deleted) this.known.delete(key);
    else this.known.set(key, kt);
    for (const handler of this.handlers) handler(key, previous, deleted ? undefined : kt);
  }

  private parse(obj: KubernetesObject): KafkaTopic | undefined {
    const cached = this.parsed.get(obj);
    if (cached !== undefined) return cached ?? undefined;
    const result = kafkaTopicSchema.safeParse(obj);
    if (!result.success) {
      const resource = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
      this.logger.error({ resource, issues: result.error.issues }, 'ignoring malformed KafkaTopic');
    }
    this.parsed.set(obj, result.success ? result.data : null);
    return result.success ? result.data : undefined;
  }

  private restart(error: unknown): void {
    if (this.stopped) return;
    this.logger.warn({ err: error }, 'KafkaTopic watch failed; restarting');
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.start().catch((e: unknown) => {
        this.restart(e);
      });
    }, this.options.restartDelayMs);
  }
}
