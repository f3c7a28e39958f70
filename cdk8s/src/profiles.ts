import type { TopicTarget } from '@msa/contracts';
import { PROGRAMS, type ProgramName } from './programs.js';

/** The two deployments this app renders. */
export const PROFILES = ['kind', 'local-node'] as const;
export type ProfileName = (typeof PROFILES)[number];

/** The servers a profile may run in the namespace, by the name of their image. */
export const SERVER_IMAGES = ['postgres', 'mongo', 'ferretdb', 'redis', 'mailpit', 'kafka', 'prometheus'] as const;
export type ServerImage = (typeof SERVER_IMAGES)[number];

/** The image of every program and of the servers a profile runs: on a registry, or the local node's. */
export type ImageRefs = Readonly<Record<ProgramName, string>> & Readonly<Partial<Record<ServerImage, string>>>;

/** The image the profile runs for `name`; a chart asking for one the profile does not run is a bug. */
export function imageOf(profile: Profile, name: ProgramName | ServerImage): string {
  const image = profile.images[name];
  if (image === undefined) throw new Error(`profile ${profile.name} runs no ${name} image`);
  return image;
}

/** Where a server keeps its data. */
export type Storage =
  /** A PersistentVolumeClaim from the cluster's default StorageClass (kind's local-path, a cloud disk). */
  | { readonly kind: 'dynamic'; readonly size: string }
  /**
   * A PersistentVolume per claim on a directory of the one node: a bare node has no provisioner.
   * `directory/<claim>` must exist, owned by the server's user, before the pod starts.
   */
  | { readonly kind: 'host-path'; readonly size: string; readonly directory: string; readonly storageClassName: string };

/**
 * Everything that differs between the profiles, in one place; every chart reads its choices from
 * here, and `test/profiles.unit.spec.ts` checks that the rendered objects differ only in these.
 */
export interface Profile {
  readonly name: ProfileName;
  /** Strimzi's `Kafka` and `KafkaNodePool` (its cluster operator runs them), or a StatefulSet of our own. */
  readonly kafka: 'strimzi' | 'statefulset';
  /** KRaft nodes, each both controller and broker. */
  readonly kafkaReplicas: number;
  /** How the catalog's topics are sized (replicas, min.insync.replicas). */
  readonly topicTarget: TopicTarget;
  /** MongoDB itself, or FerretDB speaking the MongoDB wire protocol on the in-cluster PostgreSQL. */
  readonly mongo: 'mongodb' | 'ferretdb';
  readonly images: ImageRefs;
  readonly imagePullPolicy: 'IfNotPresent' | 'Never';
  /** Pods per service Deployment; the operator runs one more than needed for a standby (leader election). */
  readonly serviceReplicas: number;
  readonly operatorReplicas: number;
  /**
   * How the PostgreSQL image makes the services' databases on its first start: the official image
   * runs the SQL in /docker-entrypoint-initdb.d, ours (images/postgres) takes POSTGRES_DB as a list.
   */
  readonly postgresDatabases: 'init-scripts' | 'database-list';
  readonly storage: Storage;
  /** Prometheus in the namespace, scraping the pods (kind users bring their own, e.g. kube-prometheus-stack). */
  readonly prometheus: boolean;
  /**
   * Ports the kube-apiserver's endpoint listens on, for the egress of the pods that talk to it: a
   * NetworkPolicy sees the endpoint behind the `kubernetes` Service, not port 443.
   */
  readonly apiServerPorts: readonly number[];
  /** Where the shop is reached from a browser; password reset links point into it. */
  readonly appBaseUrl: string;
}

/** Options that come from outside the app (the CLI's variables). */
export interface ProfileOptions {
  /** Images the local node built: `{ "<name>": "localhost/msa/<name>:<tag>" }`. @default every image tagged `dev` */
  readonly localImages?: Readonly<Record<string, string>>;
  /** Tag of the kind/staging images (`msa-ecommerce/<name>:<tag>`). @default 'dev' */
  readonly imageTag?: string;
  /** The local node's directory for server volumes. @default '/var/lib/msa-node/volumes' */
  readonly volumesDirectory?: string;
  /** The port the local node's kube-apiserver listens on. @default LOCAL_NODE_API_SERVER_PORT */
  readonly apiServerPort?: number;
}

/** The local node's kube-apiserver port: MSA_CLUSTER_KUBE_PORT in local/config.env. */
export const LOCAL_NODE_API_SERVER_PORT = 26443;

/**
 * The public server images the kind profile runs, pinned by tag; PostgreSQL's major version and
 * Mailpit's release are local/config.env's. Strimzi's cluster operator runs Kafka (its own image
 * for spec.kafka.version).
 */
export const PUBLIC_SERVER_IMAGES = {
  postgres: 'postgres:15-bookworm',
  mongo: 'mongo:7.0',
  redis: 'redis:7.4-bookworm',
  mailpit: 'axllent/mailpit:v1.33.1',
} as const satisfies Partial<Record<ServerImage, string>>;

/** The servers the local node runs from images built here (images/<server>/). */
const LOCAL_SERVER_IMAGES = ['postgres', 'ferretdb', 'redis', 'mailpit', 'kafka', 'prometheus'] as const satisfies readonly ServerImage[];

/** Apache Kafka as Strimzi runs it (spec.kafka.version); local/config.env's KAFKA_VERSION. */
export const KAFKA_VERSION = '4.3.1';

/**
 * The user each server runs as, the same in both profiles: the official images' own (PostgreSQL
 * needs its user in /etc/passwd for initdb), which images/ gives ours too; 10001 for the rest.
 */
export const SERVER_USERS: Readonly<Record<ServerImage, number>> = {
  postgres: 999,
  mongo: 999,
  ferretdb: 10001,
  redis: 999,
  mailpit: 10001,
  kafka: 10001,
  prometheus: 10001,
};

/** The profile's settings. */
export function profile(name: ProfileName, options: ProfileOptions = {}): Profile {
  switch (name) {
    case 'kind':
      return {
        name,
        kafka: 'strimzi',
        kafkaReplicas: 3,
        topicTarget: { profile: 'cluster' },
        mongo: 'mongodb',
        images: kindImages(options.imageTag ?? 'dev'),
        imagePullPolicy: 'IfNotPresent',
        serviceReplicas: 2,
        operatorReplicas: 2,
        postgresDatabases: 'init-scripts',
        storage: { kind: 'dynamic', size: '2Gi' },
        prometheus: false,
        apiServerPorts: [443, 6443],
        appBaseUrl: 'http://127.0.0.1:8081',
      };
    case 'local-node':
      return {
        name,
        kafka: 'statefulset',
        kafkaReplicas: 1,
        topicTarget: { profile: 'local' },
        mongo: 'ferretdb',
        images: localImages(options.localImages ?? {}),
        imagePullPolicy: 'Never',
        serviceReplicas: 1,
        operatorReplicas: 1,
        postgresDatabases: 'database-list',
        storage: {
          kind: 'host-path',
          size: '2Gi',
          directory: options.volumesDirectory ?? '/var/lib/msa-node/volumes',
          storageClassName: 'msa-local-node',
        },
        prometheus: true,
        apiServerPorts: [443, options.apiServerPort ?? LOCAL_NODE_API_SERVER_PORT],
        appBaseUrl: 'http://127.0.0.1:8081',
      };
    default: {
      const unknown: never = name;
      throw new Error(`unknown profile ${String(unknown)}`);
    }
  }
}

function kindImages(tag: string): ImageRefs {
  return { ...PUBLIC_SERVER_IMAGES, ...programImages((program) => `msa-ecommerce/${program}:${tag}`) };
}

function localImages(built: Readonly<Record<string, string>>): ImageRefs {
  const local = (name: string) => built[name] ?? `localhost/msa/${name}:dev`;
  const servers = Object.fromEntries(LOCAL_SERVER_IMAGES.map((server) => [server, local(server)]));
  return { ...servers, ...programImages(local) };
}

function programImages(image: (program: ProgramName) => string): Record<ProgramName, string> {
  return Object.fromEntries(PROGRAMS.map((program) => [program, image(program)])) as Record<ProgramName, string>;
}
