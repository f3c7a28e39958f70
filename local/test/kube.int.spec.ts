import { randomUUID } from 'node:crypto';
import { ApiException, CustomObjectsApi, CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { localServers } from '../src/index.js';

const group = 'kafka.strimzi.io';
const version = 'v1';
const plural = 'kafkatopics';

describe('kube-apiserver with the Strimzi CRDs smoke', () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(localServers().kubeconfigPath);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const namespace = `smoke-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });
  afterAll(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('given the local API server, when asked its version, then it is the pinned build', async () => {
    const info = await kubeConfig.makeApiClient(VersionApi).getCode();

    expect(info.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });

  it('given the KafkaTopic CRD, when a valid topic is created, then it reads back as written', async () => {
    const body = {
      apiVersion: `${group}/${version}`,
      kind: 'KafkaTopic',
      metadata: { name: 'orders', namespace, labels: { 'strimzi.io/cluster': 'msa-kafka' } },
      spec: { partitions: 5, replicas: 1, config: { 'retention.ms': 604_800_000 } },
    };

    await custom.createNamespacedCustomObject({ group, version, namespace, plural, body });
    const stored = (await custom.getNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'orders',
    })) as { spec: unknown };

    expect(stored.spec).toEqual(body.spec);
  });

  it('given the KafkaTopic schema, when partitions is not a number, then the API server rejects it', async () => {
    const body = {
      apiVersion: `${group}/${version}`,
      kind: 'KafkaTopic',
      metadata: { name: 'invalid', namespace },
      spec: { partitions: 'five' },
    };

    const created = custom.createNamespacedCustomObject({ group, version, namespace, plural, body });

    await expect(created).rejects.toBeInstanceOf(ApiException);
    await expect(created).rejects.toMatchObject({ code: 422 });
  });
});
