/** A Kubernetes object as the cdk8s app synthesizes it and `helm template` renders it: plain JSON. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** The servers a release may run in its namespace or find outside it. */
export const SERVERS = ['kafka', 'postgres', 'mongo', 'redis', 'mailpit'] as const;
export type Server = (typeof SERVERS)[number];

const NAME_LABEL = 'app.kubernetes.io/name';

export function isServer(name: string | undefined): name is Server {
  return (SERVERS as readonly string[]).includes(name ?? '');
}

/** What an object belongs to: a program or server by its name label (Strimzi's resources are Kafka's, but topics are their own). */
export function componentOf(object: KubeObject): string {
  if (object.kind === 'KafkaTopic') return 'topics';
  if (object.apiVersion.startsWith('kafka.strimzi.io/')) return 'kafka';
  return object.metadata.labels?.[NAME_LABEL] ?? 'platform';
}

/** A key to sort and match objects by, the same for an object and its rendering by helm. */
export function identity(object: KubeObject): string {
  return `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
