import { hostname } from 'node:os';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
// 0 asks the system for a free port, which tests use.
const port = z.coerce.number().int().min(0).max(65535);
const hostPort = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'must be host:port');

// The operator's whole environment: every variable it reads, its default, and what it must look like.
const environmentSchema = z.object({
  OPERATOR_NAMESPACE: z.string().min(1),
  OPERATOR_CLUSTER_NAME: z.string().min(1),
  OPERATOR_KAFKA_BOOTSTRAP: z
    .string()
    .min(1)
    .transform((s) => s.split(',').map((b) => b.trim()))
    .pipe(z.array(hostPort).min(1)),
  OPERATOR_RESYNC_PERIOD_MS: positiveInt.default(120_000),
  OPERATOR_MAX_CONCURRENT_RECONCILES: positiveInt.default(8),
  OPERATOR_RETRY_BASE_MS: positiveInt.default(500),
  OPERATOR_RETRY_MAX_MS: positiveInt.default(30_000),
  OPERATOR_HTTP_PORT: port.default(8080),
  OPERATOR_LEASE_NAME: z.string().min(1).default('msa-topic-operator'),
  OPERATOR_LEASE_DURATION_MS: positiveInt.min(3000).default(15_000),
  OPERATOR_IDENTITY: z.string().min(1).optional(),
  OPERATOR_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  KUBECONFIG: z.string().min(1).optional(),
});

/** Everything the operator is told from outside, validated once at start-up. */
export interface OperatorConfig {
  /** The namespace whose KafkaTopics are reconciled. */
  readonly namespace: string;
  /** Value of the `strimzi.io/cluster` label that selects this operator's KafkaTopics. */
  readonly clusterName: string;
  readonly kafkaBootstrap: readonly string[];
  /** How often every KafkaTopic is reconciled again, to revert drift made directly in Kafka. */
  readonly resyncPeriodMs: number;
  readonly maxConcurrentReconciles: number;
  /** First and longest delay of the backoff between retries of a failing reconciliation. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Port of `/healthz`, `/readyz` and `/metrics`. */
  readonly httpPort: number;
  readonly leaseName: string;
  readonly leaseDurationMs: number;
  /** Who holds the lease: the pod name in a cluster, host and pid elsewhere. */
  readonly identity: string;
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** Path to a kubeconfig; absent means in-cluster service-account credentials. */
  readonly kubeconfigPath?: string;
}

/** A bad or missing environment variable; the message names each one. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the operator's environment. Throws {@link ConfigError} naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): OperatorConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid operator configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    namespace: e.OPERATOR_NAMESPACE,
    clusterName: e.OPERATOR_CLUSTER_NAME,
    kafkaBootstrap: e.OPERATOR_KAFKA_BOOTSTRAP,
    resyncPeriodMs: e.OPERATOR_RESYNC_PERIOD_MS,
    maxConcurrentReconciles: e.OPERATOR_MAX_CONCURRENT_RECONCILES,
    retryBaseMs: e.OPERATOR_RETRY_BASE_MS,
    retryMaxMs: e.OPERATOR_RETRY_MAX_MS,
    httpPort: e.OPERATOR_HTTP_PORT,
    leaseName: e.OPERATOR_LEASE_NAME,
    leaseDurationMs: e.OPERATOR_LEASE_DURATION_MS,
    identity: e.OPERATOR_IDENTITY ?? `${hostname()}-${process.pid}`,
    logLevel: e.OPERATOR_LOG_LEVEL,
    ...(e.KUBECONFIG === undefined ? {} : { kubeconfigPath: e.KUBECONFIG }),
  };
}
