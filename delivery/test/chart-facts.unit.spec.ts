import { chartFiles } from '../src/chart/generate.js';
import type { KubeObject } from '../src/chart/objects.js';
import { platformObjects } from './fixtures/platform.js';

/** The fixture with one object changed by `edit`, found by kind and name. */
function withEdit(kind: string, name: string, edit: (object: Record<string, unknown>) => void): KubeObject[] {
  const objects = platformObjects();
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (object === undefined) throw new Error(`no ${kind} ${name} in the fixture`);
  edit(object);
  return objects;
}
const container = (deployment: Record<string, unknown>) =>
  (deployment as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec.template.spec.containers[0] ?? {};

describe('the chart generator refuses objects it cannot place', () => {
  it('given programs of two image tags, when generating, then it refuses, since the chart has one tag', () => {
    const objects = withEdit('Deployment', 'msa-operator', (deployment) => {
      container(deployment).image = 'msa-ecommerce/operator:other';
    });

    expect(() => chartFiles(objects)).toThrow('the programs run images of different tags or pull policies');
  });

  it('given an image outside msa-ecommerce/<name>:<tag>, when generating, then it refuses naming the Deployment', () => {
    const objects = withEdit('Deployment', 'msa-user', (deployment) => {
      container(deployment).image = 'localhost/msa/user:abc';
    });

    expect(() => chartFiles(objects)).toThrow('msa-user runs localhost/msa/user:abc, not msa-ecommerce/<name>:<tag>');
  });

  it('given a Secret that belongs to no program or server, when generating, then it refuses naming both', () => {
    const objects = withEdit('Deployment', 'msa-user', (deployment) => {
      container(deployment).envFrom = [{ secretRef: { name: 'shared-credentials' } }];
    });

    expect(() => chartFiles(objects)).toThrow('Deployment msa-user reads Secret shared-credentials, which belongs to no program or server');
  });

  it('given objects in two namespaces, when generating, then it refuses naming them', () => {
    const objects = withEdit('KafkaTopic', 'orders', (topic) => {
      topic.metadata = { name: 'orders', namespace: 'other' };
    });

    expect(() => chartFiles(objects)).toThrow('the objects must share one namespace, found msa, other');
  });
});

describe('the chart generator writes', () => {
  it('given the fixture, then values.yaml carries each program as synthesized and one group per server the programs reach', () => {
    const values = chartFiles(platformObjects()).find((file) => file.path === 'values.yaml')?.content ?? '';

    expect(values).toContain('services:\n  user:\n    image: ""\n    replicas: 2\n');
    expect(values).toContain('postgres:\n  inCluster: true\n  image: postgres:15-bookworm\n  secretName: msa-postgres-credentials\n');
    expect(values).toContain('kafka:\n  inCluster: true\n  bootstrapServers: msa-kafka-kafka-bootstrap:9092\n');
    expect(values).not.toContain('mongo:');
  });

  it('given a string YAML 1.1 reads as a boolean, then the template quotes it', () => {
    const objects = withEdit('Deployment', 'msa-user', (deployment) => {
      container(deployment).args = ['--appendonly', 'no'];
    });
    const template = chartFiles(objects).find((file) => file.path === 'templates/user.yaml')?.content ?? '';

    expect(template).toContain('- "no"');
  });
});
