import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The platform's metrics, by the names dashboards and alerts use. They are declared here and nowhere
 * else so a name or label set cannot drift between services.
 */
export interface PlatformMetrics {
  readonly registry: Registry;
  /** `http_request_duration_seconds`; `route` is the route template, never the raw path. */
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** `consumer_lag`: high watermark minus committed offset. */
  readonly consumerLag: Gauge<'topic' | 'partition' | 'group'>;
  /** `outbox_lag_events`: events committed but not yet acknowledged by Kafka. */
  readonly outboxLagEvents: Gauge;
  /** `outbox_lag_seconds`: age of the oldest event not yet acknowledged by Kafka. */
  readonly outboxLagSeconds: Gauge;
  /** `outbox_published_total`: events the relay has had acknowledged. */
  readonly outboxPublished: Counter<'topic'>;
  /** `outbox_unpublishable_events`: events Kafka can never take and events held behind them (see `dlt outbox list`). */
  readonly outboxUnpublishableEvents: Gauge;
  /** `dlt_messages_total`: messages sent to `<topic>.DLT`; `topic` is the source topic. */
  readonly dltMessages: Counter<'topic' | 'reason'>;
  /** `dlt_write_failures_total`: dead-letter writes Kafka did not take; `kind` is `timeout`, `transient`, `refused` or `record`. */
  readonly dltWriteFailures: Counter<'topic' | 'kind'>;
  /** `dlt_payloads_dropped_total`: dead letters written without their payload, which Kafka refused as a record. */
  readonly dltPayloadsDropped: Counter<'topic'>;
  /** `consumer_handled_total`; `outcome` is `processed`, or `duplicate` when the inbox had it already. */
  readonly consumerHandled: Counter<'topic' | 'group' | 'outcome'>;
  /** `consumer_retries_total`: handler attempts after the first. */
  readonly consumerRetries: Counter<'topic' | 'group'>;
  /** `consumer_inbox_pruned_total{group}`: inbox rows deleted once older than the inbox retention. */
  readonly consumerInboxPruned: Counter<'group'>;
}

/**
 * The names of the platform's metrics, keyed as `PlatformMetrics` is: what dashboards and alert rules
 * import instead of typing a name.
 */
export const platformMetricNames = {
  httpRequestDuration: 'http_request_duration_seconds',
  consumerLag: 'consumer_lag',
  outboxLagEvents: 'outbox_lag_events',
  outboxLagSeconds: 'outbox_lag_seconds',
  outboxPublished: 'outbox_published_total',
  outboxUnpublishableEvents: 'outbox_unpublishable_events',
  dltMessages: 'dlt_messages_total',
  dltWriteFailures: 'dlt_write_failures_total',
  dltPayloadsDropped: 'dlt_payloads_dropped_total',
  consumerHandled: 'consumer_handled_total',
  consumerRetries: 'consumer_retries_total',
  consumerInboxPruned: 'consumer_inbox_pruned_total',
} as const satisfies Record<Exclude<keyof PlatformMetrics, 'registry'>, string>;

/** Names of Node's process metrics that `createMetricsRegistry` registers, for the dashboards. */
export const processMetricNames = {
  residentMemory: 'process_resident_memory_bytes',
  cpuSeconds: 'process_cpu_seconds_total',
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
  heapUsed: 'nodejs_heap_size_used_bytes',
} as const;

/** A fresh registry with Node's default process metrics (CPU, memory, event loop, GC). */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Registers the platform's metrics on `registry` (a fresh one with default metrics if omitted). */
export function createPlatformMetrics(registry: Registry = createMetricsRegistry()): PlatformMetrics {
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: platformMetricNames.httpRequestDuration,
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    consumerLag: new Gauge({
      name: platformMetricNames.consumerLag,
      help: 'Messages between the committed offset and the high watermark',
      labelNames: ['topic', 'partition', 'group'],
      registers,
    }),
    outboxLagEvents: new Gauge({
      name: platformMetricNames.outboxLagEvents,
      help: 'Committed events not yet acknowledged by Kafka',
      registers,
    }),
    outboxLagSeconds: new Gauge({
      name: platformMetricNames.outboxLagSeconds,
      help: 'Age in seconds of the oldest committed event not yet acknowledged by Kafka',
      registers,
    }),
    outboxPublished: new Counter({
      name: platformMetricNames.outboxPublished,
      help: 'Events published by the outbox relay and acknowledged by Kafka',
      labelNames: ['topic'],
      registers,
    }),
    outboxUnpublishableEvents: new Gauge({
      name: platformMetricNames.outboxUnpublishableEvents,
      help: 'Events the outbox relay leader holds back: those Kafka refuses for good and later ones of their streams',
      registers,
    }),
    dltMessages: new Counter({
      name: platformMetricNames.dltMessages,
      help: 'Messages sent to a dead-letter topic, by source topic and reason',
      labelNames: ['topic', 'reason'],
      registers,
    }),
    dltWriteFailures: new Counter({
      name: platformMetricNames.dltWriteFailures,
      help: 'Dead-letter writes not acknowledged, by source topic and kind (timeout, transient, refused, record)',
      labelNames: ['topic', 'kind'],
      registers,
    }),
    dltPayloadsDropped: new Counter({
      name: platformMetricNames.dltPayloadsDropped,
      help: 'Dead letters written without their payload because Kafka refused the record, by source topic',
      labelNames: ['topic'],
      registers,
    }),
    consumerHandled: new Counter({
      name: platformMetricNames.consumerHandled,
      help: 'Messages handled by consumers, by outcome (processed or duplicate)',
      labelNames: ['topic', 'group', 'outcome'],
      registers,
    }),
    consumerRetries: new Counter({
      name: platformMetricNames.consumerRetries,
      help: 'Handler attempts after the first',
      labelNames: ['topic', 'group'],
      registers,
    }),
    consumerInboxPruned: new Counter({
      name: platformMetricNames.consumerInboxPruned,
      help: 'Inbox rows deleted by consumer runners once older than the inbox retention',
      labelNames: ['group'],
      registers,
    }),
  };
}
