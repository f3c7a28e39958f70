import type { ServiceName } from '@msa/contracts';

/** The six services and the operator: the programs built from this repository. */
export const SERVICES = ['user', 'product', 'order', 'payment', 'inventory', 'notification'] as const satisfies readonly ServiceName[];
export const PROGRAMS = [...SERVICES, 'operator'] as const;
export type ProgramName = (typeof PROGRAMS)[number];

/** What a program talks to in the cluster, besides DNS; each is one egress rule of its NetworkPolicy. */
export type Dependency = 'kafka' | 'postgres' | 'mongo' | 'redis' | 'mailpit' | 'kube-api' | 'internet-https';

/** The Secret every program's variables that are secrets come from, and the one of PostgreSQL's superuser. */
export const secretName = (program: ProgramName): string => `msa-${program}-secrets`;
export const POSTGRES_CREDENTIALS = 'msa-postgres-credentials';

/** In-cluster addresses, by Service name, so they hold in whatever namespace the manifests are applied. */
export const KAFKA_CLUSTER = 'msa-kafka';
export const KAFKA_BOOTSTRAP = `${KAFKA_CLUSTER}-kafka-bootstrap:9092`;
/** The Lease the operator's replicas elect a leader on. */
export const OPERATOR_LEASE = 'msa-topic-operator';
export const PORTS = { kafka: 9092, kafkaController: 9093, postgres: 5432, mongo: 27017, redis: 6379, smtp: 1025, mailpitHttp: 8025, prometheus: 9090 } as const;

/** One program's deployment: its port, what it reaches, and its environment. */
export interface ProgramSpec {
  readonly name: ProgramName;
  /** The HTTP port: the API, `/health/*` and `/metrics` (the operator: `/healthz`, `/readyz`, `/metrics`). */
  readonly port: number;
  readonly dependencies: readonly Dependency[];
  /** Plain variables, rendered into its ConfigMap. */
  readonly config: Readonly<Record<string, string>>;
  /** Variables read from `msa-<name>-secrets`, each from the key of the same name. */
  readonly secretKeys: readonly string[];
  readonly probes: { readonly live: string; readonly ready: string };
}

const JWT = { JWT_ISSUER: 'msa-ecommerce', JWT_AUDIENCE: 'msa-ecommerce' } as const;
const SERVICE_SECRETS = ['DATABASE_URL', 'MONGO_URL', 'REDIS_URL', 'JWT_PUBLIC_KEYS'] as const;
const SERVICE_PROBES = { live: '/health/live', ready: '/health/ready' } as const;
const ADMIN = 'admin@msa.local';

function service(
  name: (typeof SERVICES)[number],
  port: number,
  uses: readonly Dependency[],
  own: { readonly config?: Readonly<Record<string, string>>; readonly secretKeys?: readonly string[] } = {},
): ProgramSpec {
  return {
    name,
    port,
    dependencies: ['kafka', 'postgres', 'redis', ...uses],
    config: { PORT: String(port), KAFKA_BROKERS: KAFKA_BOOTSTRAP, MONGO_DATABASE: name, LOG_LEVEL: 'info', ...JWT, ...own.config },
    secretKeys: [...SERVICE_SECRETS, ...(own.secretKeys ?? [])],
    probes: SERVICE_PROBES,
  };
}

/**
 * The seven programs. Variables follow each program's `config.ts` (the spec parses every
 * Deployment's environment through it) and what `local/lib/services.sh` passes natively: the same
 * issuer and audience, the admin address, mail to Mailpit. Who reaches what follows each `app.ts`:
 * every service uses Kafka, its PostgreSQL database and Redis (caches, token revocations); all but
 * inventory keep read models in MongoDB; notification sends mail through Mailpit, SMS and Web Push
 * over HTTPS; no service calls another over HTTP.
 */
export function programSpecs(appBaseUrl: string): readonly ProgramSpec[] {
  return [
    service('user', 8081, ['mongo'], { config: { ADMIN_EMAILS: ADMIN }, secretKeys: ['JWT_PRIVATE_KEY'] }),
    service('product', 8082, ['mongo']),
    service('order', 8083, ['mongo']),
    service('payment', 8084, ['mongo'], { config: { PAYMENT_GATEWAY: 'sandbox' } }),
    service('inventory', 8085, []),
    service('notification', 8086, ['mongo', 'mailpit', 'internet-https'], {
      config: {
        SMTP_FROM: 'MSA Shop <no-reply@msa.local>',
        SMS_FROM: '+15005550006',
        VAPID_SUBJECT: `mailto:${ADMIN}`,
        ADMIN_ALERT_EMAILS: ADMIN,
        APP_BASE_URL: appBaseUrl,
      },
      secretKeys: ['SMTP_URL', 'SMS_ACCOUNT_ID', 'SMS_AUTH_TOKEN', 'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY'],
    }),
    {
      name: 'operator',
      port: 8080,
      dependencies: ['kafka', 'kube-api'],
      // OPERATOR_NAMESPACE and OPERATOR_IDENTITY come from the pod itself (the downward API).
      config: {
        OPERATOR_CLUSTER_NAME: KAFKA_CLUSTER,
        OPERATOR_KAFKA_BOOTSTRAP: KAFKA_BOOTSTRAP,
        OPERATOR_HTTP_PORT: '8080',
        OPERATOR_LEASE_NAME: OPERATOR_LEASE,
        OPERATOR_LOG_LEVEL: 'info',
      },
      secretKeys: [],
      probes: { live: '/healthz', ready: '/readyz' },
    },
  ];
}

/** Labels of every object of a component; the first two also select its pods. */
export function labelsOf(name: string, component: string): Record<string, string> {
  return { ...selectorOf(name), 'app.kubernetes.io/component': component, 'app.kubernetes.io/managed-by': 'cdk8s' };
}

/** The labels that select a component's pods: `app.kubernetes.io/name` is what Prometheus calls `service`. */
export function selectorOf(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'msa-ecommerce' };
}
