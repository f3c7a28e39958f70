import { randomUUID } from 'node:crypto';
import { PatchStrategy, type V1Pod } from '@kubernetes/client-node';
import { synthesizeProfile } from '@msa/cdk8s';
import { eventually } from '@msa/local';
import type { Admin } from 'kafkajs';
import { orderOf, paymentsOf, placeOrder, signUp, stockedProduct, stockOnceSold, terminalOrder, type Customer, type Shop } from '../support/shop.js';
import { cniPluginTypes, inClusterKafkaAdmin, isReady, KAFKA_CLUSTER, localNode, NAMESPACE, nodeAdmin, nodeShop, podsOf, type LocalNode } from './node.js';

/** What the node's flows may take: a pod the spec deletes has to be scheduled, started and Ready again. */
const NODE_FLOW_TIMEOUT_MS = 240_000;

/** The CNI plugins the node runs, none of which enforces a NetworkPolicy (bridge, its IPAM and port mappings). */
const NON_ENFORCING_PLUGINS = ['bridge', 'portmap'];

/** The local-node profile as `local/cluster deploy` applied it: the objects the node must hold. */
const rendered = synthesizeProfile('local-node', { namespace: NAMESPACE }).manifests;
const renderedOf = (kind: string): string[] =>
  rendered
    .filter((manifest) => manifest.kind === kind)
    .map(({ metadata }) => metadata.name)
    .sort();

const nameOf = (pod: V1Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

// The platform as `local/cluster deploy` runs it on the local node, driven from the host the way a
// user would: the kubeconfig for the API, the services' NodePorts, the cluster's DNS for Kafka.
describe('the platform on the local Kubernetes node', () => {
  let node: LocalNode;
  let shop: Shop;
  let admin: Customer;
  let kafka: Admin | undefined;
  const topics: string[] = [];

  beforeAll(async () => {
    node = await localNode();
    shop = await nodeShop(node);
    admin = await nodeAdmin(node, shop);
    kafka = await inClusterKafkaAdmin(node);
  }, NODE_FLOW_TIMEOUT_MS);

  afterAll(async () => {
    for (const name of topics) {
      await node.custom.deleteNamespacedCustomObject({ group: 'kafka.strimzi.io', version: 'v1', plural: 'kafkatopics', namespace: NAMESPACE, name }).catch(() => undefined);
    }
    await kafka?.disconnect();
  });

  it('given the deployed node, when its pods and workloads are listed, then every workload the profile renders is rolled out and every pod is Ready', async () => {
    const deployments = (await node.apps.listNamespacedDeployment({ namespace: NAMESPACE })).items;
    const statefulSets = (await node.apps.listNamespacedStatefulSet({ namespace: NAMESPACE })).items;
    const pods = [...(await node.core.listNamespacedPod({ namespace: NAMESPACE })).items, ...(await node.core.listNamespacedPod({ namespace: 'kube-system' })).items];

    expect(deployments.map(({ metadata }) => metadata?.name).sort()).toEqual(renderedOf('Deployment'));
    expect(statefulSets.map(({ metadata }) => metadata?.name).sort()).toEqual(renderedOf('StatefulSet'));
    const short = [...deployments, ...statefulSets].filter(({ spec, status }) => (status?.readyReplicas ?? 0) < (spec?.replicas ?? 1)).map(({ metadata }) => metadata?.name);
    expect(short).toEqual([]);
    expect(pods.filter((pod) => !isReady(pod)).map(nameOf)).toEqual([]);
    expect(pods.map(nameOf)).toEqual(expect.arrayContaining([expect.stringMatching(/^kube-system\/coredns-/), expect.stringMatching(/^msa\/msa-order-/)]));
  });

  it('given a shopper who signs up and a product the admin stocks, when the shopper orders it, then the order is COMPLETED through the in-cluster services', async () => {
    const shopper = await signUp(shop, `node-shopper-${randomUUID()}@e2e.example`);
    const productId = await stockedProduct(shop, admin, 3);

    const placed = await placeOrder(shop, shopper, orderOf(productId, 1));
    const done = await terminalOrder(shop, shopper, placed.orderId);

    expect(done.status).toBe('COMPLETED');
    expect(await stockOnceSold(shop, productId, 1)).toMatchObject({ available: 2, reserved: 0, sold: 1 });
    expect((await paymentsOf(shop, shopper, placed.orderId)).map(({ status }) => status)).toEqual(['COMPLETED']);
  }, NODE_FLOW_TIMEOUT_MS);

  it('given a new KafkaTopic applied server-side, when the in-cluster operator reconciles it, then it is Ready and the topic exists in the in-cluster Kafka, and deleting it deletes the topic', async () => {
    const run = randomUUID().slice(0, 8);
    const name = `e2e-node-${run}`;
    const topicName = `e2e.node.${run}`;
    topics.push(name);
    const admin = kafka;
    if (admin === undefined) throw new Error('no Kafka admin');

    await node.objects.patch(
      {
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaTopic',
        metadata: { name, namespace: NAMESPACE, labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
        spec: { topicName, partitions: 2, replicas: 1, config: { 'retention.ms': '3600000' } },
      },
      undefined,
      undefined,
      'e2e-local-node',
      true,
      PatchStrategy.ServerSideApply,
    );
    const ready = await eventually(async () => {
      const topic = (await node.custom.getNamespacedCustomObject({ group: 'kafka.strimzi.io', version: 'v1', plural: 'kafkatopics', namespace: NAMESPACE, name })) as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      return topic.status?.conditions?.find(({ type, status }) => type === 'Ready' && status === 'True');
    }, 60_000);

    expect(ready).toBeDefined();
    const metadata = await admin.fetchTopicMetadata({ topics: [topicName] });
    expect(metadata.topics[0]?.partitions).toHaveLength(2);

    await node.custom.deleteNamespacedCustomObject({ group: 'kafka.strimzi.io', version: 'v1', plural: 'kafkatopics', namespace: NAMESPACE, name });
    const gone = await eventually(async () => ((await admin.listTopics()).includes(topicName) ? undefined : true), 60_000);
    expect(gone).toBe(true);
  }, NODE_FLOW_TIMEOUT_MS);

  it('given the payment pod deleted, when an order is placed once its containers have stopped, then the order waits for payment and completes once the Deployment has replaced the pod', async () => {
    const shopper = await signUp(shop, `node-shopper-${randomUUID()}@e2e.example`);
    const productId = await stockedProduct(shop, admin, 2);
    const [before] = await podsOf(node, 'payment');
    const deleted = before?.metadata?.name;
    if (deleted === undefined) throw new Error('no payment pod runs');

    // One second's grace, then SIGKILL: the pod object goes only once the kubelet has stopped its containers.
    await node.core.deleteNamespacedPod({ name: deleted, namespace: NAMESPACE, gracePeriodSeconds: 1 });
    await eventually(async () => ((await podsOf(node, 'payment')).some((pod) => pod.metadata?.name === deleted) ? undefined : true), 60_000);
    const readyWhenOrdered = (await podsOf(node, 'payment')).filter(isReady).length;
    const placed = await placeOrder(shop, shopper, orderOf(productId, 1));
    const whilePaymentIsDown = (await shop.order.get(`/api/orders/${placed.orderId}`).set('authorization', shopper.bearer).expect(200)).body as { status: string };
    const done = await terminalOrder(shop, shopper, placed.orderId, NODE_FLOW_TIMEOUT_MS - 60_000);

    expect(readyWhenOrdered).toBe(0);
    expect(whilePaymentIsDown.status).not.toBe('COMPLETED');
    expect(done.status).toBe('COMPLETED');
    // The new pod consumes as soon as it runs, which may be before its readiness probe has passed.
    const serving = await eventually(async () => {
      const ready = (await podsOf(node, 'payment')).filter(isReady).map((pod) => pod.metadata?.name);
      return ready.length > 0 ? ready : undefined;
    }, 60_000);
    expect(serving).toHaveLength(1);
    expect(serving).not.toContain(deleted);
    expect(await stockOnceSold(shop, productId, 1)).toMatchObject({ available: 1, reserved: 0, sold: 1 });
  }, NODE_FLOW_TIMEOUT_MS);

  it('given the bridge CNI, when the NetworkPolicies are read, then every policy the profile renders exists and selects pods, and the node records that its CNI does not enforce them', async () => {
    const policies = (await node.networking.listNamespacedNetworkPolicy({ namespace: NAMESPACE })).items;
    const pods = (await node.core.listNamespacedPod({ namespace: NAMESPACE })).items;
    const selects = (labels: Readonly<Record<string, string>>, pod: V1Pod): boolean =>
      Object.entries(labels).every(([key, value]) => pod.metadata?.labels?.[key] === value);

    expect(policies.map(({ metadata }) => metadata?.name).sort()).toEqual(renderedOf('NetworkPolicy'));
    const unselected = pods.filter((pod) => !policies.some(({ spec }) => selects(spec?.podSelector?.matchLabels ?? {}, pod))).map(nameOf);
    expect(unselected).toEqual([]);
    // Enforcement needs a policy-aware CNI (Calico, Cilium, kube-router...): with the bridge plugin the
    // API server stores the policies and no one applies them, so there is nothing to test beyond this.
    expect([...new Set(await cniPluginTypes())].sort()).toEqual(NON_ENFORCING_PLUGINS);
  });
});
