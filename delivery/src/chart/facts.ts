import { componentOf, isRecord, isServer, SERVERS, type KubeObject, type Server } from './objects.js';
import { entries, pathIs } from './walk.js';

/** What a program's Deployment runs, as the values file's defaults carry it. */
export interface ProgramFacts {
  readonly name: string;
  /** `services.user` or `operator`: where its values are. */
  readonly valuesPath: string;
  readonly replicas: number;
  readonly resources: unknown;
  /** The Secret its pods read, if any. */
  readonly secretName?: string;
}

/** What the generator reads from the synthesized objects before it writes a template. */
export interface ChartFacts {
  /** The namespace the objects were synthesized into; the chart renders the release's instead. */
  readonly namespace: string;
  readonly programs: readonly ProgramFacts[];
  readonly image: { readonly tag: string; readonly pullPolicy: string };
  /** The Kafka bootstrap address the programs' ConfigMaps name. */
  readonly kafkaBootstrap: string;
  /** Each Secret name the pods read, by the values path that replaces it (`services.user.secretName`). */
  readonly secrets: ReadonlyMap<string, string>;
  /** The ports the programs' egress rules open to each server they reach. */
  readonly serverPorts: ReadonlyMap<Server, unknown>;
  /** Whether any Service is a NodePort. */
  readonly nodePorts: boolean;
  /** The image each in-cluster server's workload runs (Strimzi picks Kafka's itself). */
  readonly serverImages: ReadonlyMap<Server, string>;
}

const PROGRAM_COMPONENTS = ['service', 'operator'];
const IMAGE = /^msa-ecommerce\/([a-z-]+):([\w.-]+)$/;

export function valuesPathOf(program: string): string {
  return program === 'operator' ? 'operator' : `services.${program}`;
}

/** A program's Deployment: labelled as a service's or the operator's component. */
export function isProgramDeployment(object: KubeObject): boolean {
  return object.kind === 'Deployment' && PROGRAM_COMPONENTS.includes(object.metadata.labels?.['app.kubernetes.io/component'] ?? '');
}

/** The server whose pods one of an egress rule's peers selects, if any. */
export function serverOfEgressRule(rule: unknown): Server | undefined {
  if (!isRecord(rule) || !Array.isArray(rule.to)) return undefined;
  for (const peer of rule.to) {
    const labels = isRecord(peer) && isRecord(peer.podSelector) && isRecord(peer.podSelector.matchLabels) ? peer.podSelector.matchLabels : {};
    if ('strimzi.io/cluster' in labels) return 'kafka';
    const name = labels['app.kubernetes.io/name'];
    if (typeof name === 'string' && isServer(name)) return name;
  }
  return undefined;
}

export function chartFacts(objects: readonly KubeObject[]): ChartFacts {
  const namespaces = new Set(objects.flatMap((object) => (object.metadata.namespace === undefined ? [] : [object.metadata.namespace])));
  const [namespace] = namespaces;
  if (namespace === undefined || namespaces.size > 1) {
    throw new Error(`the objects must share one namespace, found ${namespaces.size === 0 ? 'none' : [...namespaces].join(', ')}`);
  }

  const deployments = objects.filter(isProgramDeployment);
  if (deployments.length === 0) throw new Error('no program Deployment among the objects');
  const programs = deployments.map(programFacts);
  const images = deployments.map((deployment) => {
    const container = containerOf(deployment);
    const match = IMAGE.exec(String(container.image));
    if (!match) throw new Error(`${deployment.metadata.name} runs ${String(container.image)}, not msa-ecommerce/<name>:<tag>`);
    return { tag: match[2] ?? '', pullPolicy: String(container.imagePullPolicy) };
  });
  const image = images[0] ?? { tag: '', pullPolicy: '' };
  if (images.some((other) => other.tag !== image.tag || other.pullPolicy !== image.pullPolicy)) {
    throw new Error('the programs run images of different tags or pull policies; the chart has one of each');
  }

  return {
    namespace,
    programs,
    image,
    kafkaBootstrap: kafkaBootstrapOf(objects),
    secrets: secretPaths(objects),
    serverPorts: serverPorts(objects),
    nodePorts: objects.some((object) => object.kind === 'Service' && isRecord(object.spec) && object.spec.type === 'NodePort'),
    serverImages: serverImages(objects),
  };
}

function containerOf(deployment: KubeObject): Record<string, unknown> {
  for (const [value, path] of entries(deployment)) {
    if (pathIs(path, 'spec.template.spec.containers.0') && isRecord(value)) return value;
  }
  throw new Error(`${deployment.metadata.name} has no container`);
}

function programFacts(deployment: KubeObject): ProgramFacts {
  const name = deployment.metadata.labels?.['app.kubernetes.io/name'] ?? deployment.metadata.name;
  const spec = isRecord(deployment.spec) ? deployment.spec : {};
  const secretName = [...entries(containerOf(deployment))].find(([, path]) => pathIs(path, 'envFrom.*.secretRef.name'))?.[0];
  return {
    name,
    valuesPath: valuesPathOf(name),
    replicas: Number(spec.replicas ?? 1),
    resources: containerOf(deployment).resources ?? {},
    ...(typeof secretName === 'string' ? { secretName } : {}),
  };
}

function kafkaBootstrapOf(objects: readonly KubeObject[]): string {
  for (const object of objects) {
    if (object.kind !== 'ConfigMap' || !isRecord(object.data)) continue;
    const brokers = object.data.KAFKA_BROKERS;
    if (typeof brokers === 'string') return brokers;
  }
  throw new Error('no ConfigMap sets KAFKA_BROKERS');
}

/** Secret names as the pods reference them; `msa-<owner>-…` belongs to the program or server `<owner>`. */
function secretPaths(objects: readonly KubeObject[]): Map<string, string> {
  const paths = new Map<string, string>();
  for (const object of objects) {
    for (const [value, path] of entries(object)) {
      const key = path.at(-1);
      const parent = path.at(-2);
      const isReference =
        (key === 'name' && (parent === 'secretRef' || parent === 'secretKeyRef')) || (key === 'secretName' && parent === 'secret');
      if (!isReference || typeof value !== 'string') continue;
      const owner = /^msa-([a-z]+)-/.exec(value)?.[1] ?? '';
      if (isServer(owner)) paths.set(value, `${owner}.secretName`);
      else if (objects.some((candidate) => isProgramDeployment(candidate) && componentOf(candidate) === owner)) {
        paths.set(value, `${valuesPathOf(owner)}.secretName`);
      } else throw new Error(`${object.kind} ${object.metadata.name} reads Secret ${value}, which belongs to no program or server`);
    }
  }
  return paths;
}

function serverPorts(objects: readonly KubeObject[]): Map<Server, unknown> {
  const ports = new Map<Server, unknown>();
  for (const object of objects) {
    if (object.kind !== 'NetworkPolicy' || isServer(componentOf(object))) continue;
    const spec = isRecord(object.spec) ? object.spec : {};
    for (const rule of Array.isArray(spec.egress) ? spec.egress : []) {
      const server = serverOfEgressRule(rule);
      if (server !== undefined && isRecord(rule)) ports.set(server, rule.ports);
    }
  }
  return new Map(SERVERS.flatMap((server) => (ports.has(server) ? [[server, ports.get(server)] as const] : [])));
}

/** A server's workload: the StatefulSet or Deployment labelled with its name. */
export function isServerWorkload(object: KubeObject): boolean {
  return (object.kind === 'StatefulSet' || object.kind === 'Deployment') && isServer(componentOf(object));
}

function serverImages(objects: readonly KubeObject[]): Map<Server, string> {
  const images = new Map<Server, string>();
  for (const object of objects.filter(isServerWorkload)) {
    const server = componentOf(object);
    const image = containerOf(object).image;
    if (!isServer(server) || typeof image !== 'string') continue;
    if (images.has(server) && images.get(server) !== image) throw new Error(`${server} runs two images; the chart has one per server`);
    images.set(server, image);
  }
  return images;
}
