import { Resolver } from 'node:dns/promises';
import { readdir, readFile } from 'node:fs/promises';
import { connect, type LookupFunction } from 'node:net';
import { isAbsolute, join } from 'node:path';
import {
  AppsV1Api,
  createConfiguration,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  CoreV1Api,
  ServerConfiguration,
  type Configuration,
  type RequestContext,
  type ResponseContext,
  type V1Pod,
} from '@kubernetes/client-node';
import type { ServiceName } from '@msa/contracts';
import { readLocalConfig, repoRoot } from '@msa/local';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { logIn, PASSWORD, type Customer, type Shop } from '../support/shop.js';

/** The namespace `local/cluster deploy` puts the platform in. */
export const NAMESPACE = 'msa';

/** What one call to the node's API server may take: a hung call fails the spec with its own message. */
const API_TIMEOUT_MS = 15_000;

/** The search list of a pod in the platform's namespace, as the kubelet writes its resolv.conf (cluster domain cluster.local). */
const SEARCH_DOMAINS = [`${NAMESPACE}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'];

/** The Kafka cluster name the platform's KafkaTopics carry, which the in-cluster operator reconciles. */
export const KAFKA_CLUSTER = 'msa-kafka';

const stateDir = (): string => {
  const state = readLocalConfig().get('MSA_STATE_DIR') ?? '.local';
  return isAbsolute(state) ? state : join(repoRoot, state);
};

/** An API client of `Api` on `kubeConfig` whose every request is aborted after `API_TIMEOUT_MS`. */
function apiClient<T>(kubeConfig: KubeConfig, Api: new (configuration: Configuration) => T): T {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the node kubeconfig has no current cluster');
  const timeout = {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(API_TIMEOUT_MS));
      return Promise.resolve(context);
    },
    post: (context: ResponseContext) => Promise.resolve(context),
  };
  return new Api(
    createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: kubeConfig }, promiseMiddleware: [timeout] }),
  );
}

/** The local node as `local/cluster up` and `deploy` leave it, reached as its admin kubeconfig allows. */
export interface LocalNode {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly networking: NetworkingV1Api;
  readonly custom: CustomObjectsApi;
  readonly objects: KubernetesObjectApi;
  /** The node's InternalIP, where every NodePort answers. */
  readonly address: string;
}

/** Connects to the node through `.local/cluster/kubeconfig` and finds its address. */
export async function localNode(): Promise<LocalNode> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(join(stateDir(), 'cluster', 'kubeconfig'));
  const core = apiClient(kubeConfig, CoreV1Api);
  const { items } = await core.listNode();
  const address = items[0]?.status?.addresses?.find(({ type }) => type === 'InternalIP')?.address;
  if (items.length !== 1 || address === undefined) throw new Error(`expected one node with an InternalIP, found ${items.length}`);
  return {
    core,
    apps: apiClient(kubeConfig, AppsV1Api),
    networking: apiClient(kubeConfig, NetworkingV1Api),
    custom: apiClient(kubeConfig, CustomObjectsApi),
    objects: apiClient(kubeConfig, KubernetesObjectApi),
    address,
  };
}

/** The base URL of a program's Service from the host: its NodePort on the node, as kind maps them to 127.0.0.1. */
export async function nodePortUrl(node: LocalNode, name: ServiceName): Promise<string> {
  const { items } = await node.core.listNamespacedService({ namespace: NAMESPACE, labelSelector: `app.kubernetes.io/name=${name}` });
  const port = items[0]?.spec?.ports?.[0]?.nodePort;
  if (port === undefined) throw new Error(`the ${name} Service has no NodePort`);
  return `http://${node.address}:${port}`;
}

/** The base URL of a Service by its cluster IP, which kube-proxy's rules route from the host too. */
export async function clusterIpUrl(node: LocalNode, service: string): Promise<string> {
  const found = await node.core.readNamespacedService({ name: service, namespace: NAMESPACE });
  const ip = found.spec?.clusterIP;
  const port = found.spec?.ports?.[0]?.port;
  if (ip === undefined || port === undefined) throw new Error(`Service ${service} has no cluster IP and port`);
  return `http://${ip}:${port}`;
}

/** The five services a shopper and an admin talk to, at their NodePorts. */
export async function nodeShop(node: LocalNode): Promise<Shop> {
  const names = ['user', 'product', 'inventory', 'payment', 'order'] as const;
  const urls = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await nodePortUrl(node, name)] as const))) as Record<(typeof names)[number], string>;
  return {
    get user() {
      return request(urls.user);
    },
    get product() {
      return request(urls.product);
    },
    get inventory() {
      return request(urls.inventory);
    },
    get payment() {
      return request(urls.payment);
    },
    get order() {
      return request(urls.order);
    },
  };
}

/**
 * The admin of the node's user service: the address its ConfigMap's `ADMIN_EMAILS` names, signed up
 * with the specs' password, or only logged in when an earlier run did (the node keeps its data).
 */
export async function nodeAdmin(node: LocalNode, shop: Shop): Promise<Customer> {
  const config = await node.core.readNamespacedConfigMap({ name: 'msa-user-config', namespace: NAMESPACE });
  const email = config.data?.ADMIN_EMAILS?.split(',')[0]?.trim();
  if (email === undefined || email === '') throw new Error('msa-user-config names no ADMIN_EMAILS');
  const signedUp = await shop.user.post('/api/users').send({ email, password: PASSWORD, name: 'Admin' });
  if (signedUp.status !== 201 && signedUp.status !== 409) throw new Error(`signing ${email} up answered ${signedUp.status}: ${signedUp.text}`);
  return logIn(shop, email);
}

/** Whether a pod's Ready condition is True. */
export const isReady = (pod: V1Pod): boolean => pod.status?.conditions?.some(({ type, status }) => type === 'Ready' && status === 'True') ?? false;

/** The pods of one program in the platform's namespace. */
export async function podsOf(node: LocalNode, name: string): Promise<V1Pod[]> {
  return (await node.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `app.kubernetes.io/name=${name}` })).items;
}

/**
 * A kafkajs admin on the in-cluster Kafka from the host. The broker advertises its in-cluster DNS
 * name, so every connection looks its host up in the cluster's DNS (the kube-dns Service, which
 * kube-proxy routes from the host) rather than the machine's resolver, as a pod would.
 */
export async function inClusterKafkaAdmin(node: LocalNode): Promise<Admin> {
  const dns = await node.core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' });
  const dnsIp = dns.spec?.clusterIP;
  if (dnsIp === undefined) throw new Error('the kube-dns Service has no cluster IP');
  const resolver = new Resolver({ timeout: 5_000, tries: 2 });
  resolver.setServers([dnsIp]);
  // The broker advertises a name relative to the cluster's domain (msa-kafka-0.msa-kafka.msa.svc),
  // which a pod completes from its resolv.conf search list: the same list, tried in the same order.
  const candidates = (hostname: string): string[] => [...SEARCH_DOMAINS.map((domain) => `${hostname}.${domain}`), hostname];
  const resolve = async (hostname: string): Promise<string[]> => {
    let failure: unknown;
    for (const name of candidates(hostname)) {
      try {
        const addresses = await resolver.resolve4(name);
        if (addresses.length > 0) return addresses;
      } catch (error) {
        failure = error;
      }
    }
    throw failure instanceof Error ? failure : new Error(`${hostname} has no address in the cluster's DNS`);
  };
  // net.connect asks for every address (`all`) when it may try several families in turn.
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (options.all === true) callback(null, addresses.map((address) => ({ address, family: 4 })));
        else callback(null, addresses[0] ?? '', 4);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), '', 4);
      },
    );
  };
  const kafka = new Kafka({
    clientId: 'e2e-local-node',
    brokers: [`${KAFKA_CLUSTER}-kafka-bootstrap:9092`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 10_000,
    requestTimeout: 15_000,
    retry: { retries: 3 },
    socketFactory: ({ host, port, onConnect }) => {
      const socket = connect({ host, port, lookup }, onConnect);
      socket.setKeepAlive(true, 60_000);
      return socket;
    },
  });
  const admin = kafka.admin();
  await admin.connect();
  return admin;
}

/** The plugin types of the node's CNI network configurations, as containerd reads them. */
export async function cniPluginTypes(): Promise<string[]> {
  const dir = join(stateDir(), 'cluster', 'cni', 'net.d');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.conflist'));
  const lists = await Promise.all(files.map(async (file) => JSON.parse(await readFile(join(dir, file), 'utf8')) as { plugins?: { type?: string }[] }));
  return lists.flatMap(({ plugins = [] }) => plugins.map(({ type = '' }) => type));
}
