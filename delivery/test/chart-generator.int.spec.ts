import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartFiles } from '../src/chart/generate.js';
import { helmLint, helmTemplate } from '../src/chart/helm.js';
import { identity, type KubeObject } from '../src/chart/objects.js';
import { copyHandWritten, writeChart } from '../src/chart/write.js';
import { platformObjects } from './fixtures/platform.js';

const byIdentity = (objects: readonly KubeObject[]) =>
  Object.fromEntries(objects.map((object) => [identity(object), object] as const).sort(([a], [b]) => a.localeCompare(b)));
const find = (objects: readonly KubeObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);
const container = (deployment: KubeObject | undefined) =>
  (deployment as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } } | undefined)?.spec.template.spec.containers[0];
const egressOf = (policy: KubeObject | undefined) => (policy as unknown as { spec: { egress: unknown[] } } | undefined)?.spec.egress;

describe('the chart generator, on a platform shaped as the cdk8s app synthesizes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chart-'));
  const synthesized = platformObjects();
  beforeAll(() => {
    copyHandWritten(dir);
    writeChart(dir, chartFiles(synthesized));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('given the generated chart, when helm lints it strictly, then it passes', async () => {
    const result = await helmLint(dir);

    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({ code: 0 });
  });

  it('given default values, when rendered, then the objects are the synthesized ones but the Namespace', async () => {
    const rendered = await helmTemplate(dir);

    expect(byIdentity(rendered)).toEqual(byIdentity(synthesized.filter((object) => object.kind !== 'Namespace')));
  });

  it('given another release namespace, when rendered, then every namespaced object and reference is in it', async () => {
    const rendered = await helmTemplate(dir, {}, 'shop');

    expect(new Set(rendered.map((object) => object.metadata.namespace))).toEqual(new Set(['shop']));
    expect((find(rendered, 'RoleBinding', 'msa-operator') as unknown as { subjects: unknown[] }).subjects).toEqual([
      { kind: 'ServiceAccount', name: 'msa-operator', namespace: 'shop' },
    ]);
  });

  it('given a registry, a tag and one full image, when rendered, then each program runs the image they name', async () => {
    const rendered = await helmTemplate(dir, {
      image: { registry: 'registry.example/shop', tag: '1.2.3', pullPolicy: 'Always' },
      operator: { image: 'registry.example/shop/msa-ecommerce/operator@sha256:abc' },
    });

    expect(container(find(rendered, 'Deployment', 'msa-user'))).toMatchObject({
      image: 'registry.example/shop/msa-ecommerce/user:1.2.3',
      imagePullPolicy: 'Always',
    });
    expect(container(find(rendered, 'Deployment', 'msa-operator'))?.image).toBe('registry.example/shop/msa-ecommerce/operator@sha256:abc');
  });

  it('given replicas, resources, existing Secrets and a server image, when rendered, then the Deployments and servers use them', async () => {
    const resources = { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } };
    const rendered = await helmTemplate(dir, {
      services: { user: { replicas: 4, resources, secretName: 'staging-user' } },
      postgres: { secretName: 'staging-postgres', image: 'mirror.example/library/postgres:15' },
    });
    const user = find(rendered, 'Deployment', 'msa-user') as unknown as { spec: { replicas: number } };

    expect(user.spec.replicas).toBe(4);
    expect(container(find(rendered, 'Deployment', 'msa-user'))).toMatchObject({
      resources,
      envFrom: [{ configMapRef: { name: 'msa-user-config' } }, { secretRef: { name: 'staging-user' } }],
    });
    expect(JSON.stringify(find(rendered, 'StatefulSet', 'msa-postgres'))).toContain('"name":"staging-postgres"');
    expect(container(find(rendered, 'StatefulSet', 'msa-postgres'))?.image).toBe('mirror.example/library/postgres:15');
  });

  it('given external Kafka and PostgreSQL, when rendered, then neither runs here and the programs point at the given ones', async () => {
    const rendered = await helmTemplate(dir, {
      kafka: { inCluster: false, bootstrapServers: 'kafka-1.staging.example:9094,kafka-2.staging.example:9094', external: { to: [{ ipBlock: { cidr: '10.20.0.0/24' } }], ports: [{ protocol: 'TCP', port: 9094 }] } },
      postgres: { inCluster: false, external: { to: [{ ipBlock: { cidr: '10.30.0.5/32' } }] } },
    });

    expect(rendered.filter((object) => ['Kafka', 'StatefulSet'].includes(object.kind) || object.metadata.name === 'msa-postgres')).toEqual(
      [],
    );
    expect(find(rendered, 'KafkaTopic', 'orders')).toBeDefined();
    expect((find(rendered, 'ConfigMap', 'msa-user-config') as unknown as { data: object }).data).toMatchObject({
      KAFKA_BROKERS: 'kafka-1.staging.example:9094,kafka-2.staging.example:9094',
    });
    expect((find(rendered, 'ConfigMap', 'msa-operator-config') as unknown as { data: object }).data).toMatchObject({
      OPERATOR_KAFKA_BOOTSTRAP: 'kafka-1.staging.example:9094,kafka-2.staging.example:9094',
    });
    expect(egressOf(find(rendered, 'NetworkPolicy', 'msa-user'))).toEqual([
      expect.objectContaining({ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }),
      { to: [{ ipBlock: { cidr: '10.20.0.0/24' } }], ports: [{ protocol: 'TCP', port: 9094 }] },
      { to: [{ ipBlock: { cidr: '10.30.0.5/32' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
    ]);
  });

  it('given nodePorts off, when rendered, then the NodePort Services are ClusterIP ones and the others stay as they are', async () => {
    const rendered = await helmTemplate(dir, { nodePorts: false });

    expect(find(rendered, 'Service', 'msa-user')?.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'user', 'app.kubernetes.io/part-of': 'msa-ecommerce' },
      ports: [{ name: 'http', port: 8081, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(find(rendered, 'Service', 'msa-operator')).toEqual(find(synthesized, 'Service', 'msa-operator'));
  });

  it('given a dashboard with Grafana template text, when rendered, then it arrives verbatim', async () => {
    const rendered = await helmTemplate(dir);

    expect(find(rendered, 'ConfigMap', 'msa-dashboard-platform')).toEqual(find(synthesized, 'ConfigMap', 'msa-dashboard-platform'));
  });
});
