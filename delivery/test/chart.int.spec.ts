import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createNamespace, deleteNamespace, serverDryRun } from '../src/chart/dry-run.js';
import { chartFiles } from '../src/chart/generate.js';
import { helmLint, helmTemplate } from '../src/chart/helm.js';
import { componentOf, identity, type KubeObject } from '../src/chart/objects.js';
import { kindProfileObjects } from '../src/chart/source.js';
import { CHART_DIR, generatedPaths } from '../src/chart/write.js';

const byIdentity = (objects: readonly KubeObject[]) =>
  Object.fromEntries(objects.map((object) => [identity(object), object] as const).sort(([a], [b]) => a.localeCompare(b)));
const stagingValues = () => parse(readFileSync(join(CHART_DIR, 'values-staging.yaml'), 'utf8')) as object;
const external = {
  kafka: { inCluster: false, bootstrapServers: 'kafka-1.staging.internal:9092,kafka-2.staging.internal:9092', external: { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] } },
  postgres: { inCluster: false, external: { to: [{ ipBlock: { cidr: '10.30.0.10/32' } }] } },
  mongo: { inCluster: false, external: { to: [{ ipBlock: { cidr: '10.30.0.11/32' } }] } },
  redis: { inCluster: false, external: { to: [{ ipBlock: { cidr: '10.30.0.12/32' } }] } },
};

describe('charts/msa-ecommerce, generated from the cdk8s kind profile', () => {
  const synthesized = kindProfileObjects();

  it('given the committed chart, when generated afresh, then every generated file is the same and none is stale', () => {
    const fresh = chartFiles(synthesized);

    expect(generatedPaths(CHART_DIR).sort()).toEqual(fresh.map((file) => file.path).sort());
    for (const file of fresh) {
      expect({ path: file.path, content: readFileSync(join(CHART_DIR, file.path), 'utf8') }).toEqual(file);
    }
  });

  it('given the chart, when helm lints it strictly with the defaults and with the staging values, then both pass', async () => {
    const defaults = await helmLint(CHART_DIR);
    const staging = await helmLint(CHART_DIR, join(CHART_DIR, 'values-staging.yaml'));

    expect({ code: defaults.code, output: defaults.stdout + defaults.stderr }).toMatchObject({ code: 0 });
    expect({ code: staging.code, output: staging.stdout + staging.stderr }).toMatchObject({ code: 0 });
  });

  it('given default values, when helm renders the chart, then it renders the objects cdk8s synthesizes, less the Namespace', async () => {
    const rendered = await helmTemplate(CHART_DIR);

    expect(byIdentity(rendered)).toEqual(byIdentity(synthesized.filter((object) => object.kind !== 'Namespace')));
  });

  it('given external servers, when rendered, then none runs in the release and the programs reach the given ones', async () => {
    const rendered = await helmTemplate(CHART_DIR, external);
    const policies = rendered.filter((object) => object.kind === 'NetworkPolicy');
    const configMaps = rendered.filter((object) => object.kind === 'ConfigMap');

    expect(rendered.filter((object) => ['kafka', 'postgres', 'mongo', 'redis'].includes(componentOf(object))).map(identity)).toEqual([]);
    expect(rendered.filter((object) => object.kind === 'KafkaTopic')).toHaveLength(
      synthesized.filter((object) => object.kind === 'KafkaTopic').length,
    );
    const brokers = configMaps.flatMap((map) => Object.entries(map.data as Record<string, string>)).filter(([key]) => /KAFKA_(BROKERS|BOOTSTRAP)$/.test(key));
    expect(brokers.length).toBeGreaterThanOrEqual(7);
    expect(new Set(brokers.map(([, value]) => value))).toEqual(new Set([external.kafka.bootstrapServers]));
    const text = JSON.stringify(policies);
    expect(text).not.toMatch(/strimzi\.io\/cluster|"app.kubernetes.io\/name":"(postgres|mongo|redis)"/);
    for (const cidr of ['10.20.0.0/16', '10.30.0.10/32', '10.30.0.11/32', '10.30.0.12/32']) expect(text).toContain(`"cidr":"${cidr}"`);
  });

  describe('accepted by the local API server (server-side dry run, strict fields, Strimzi CRDs installed)', () => {
    const namespace = `chart-${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      await createNamespace(namespace);
    });
    afterAll(async () => {
      await deleteNamespace(namespace);
    });

    it.each([
      ['the default values', {}],
      ['the staging values', stagingValues()],
      ['external servers', external],
    ])('given %s, when every rendered object is applied as a dry run, then none is refused', async (_, values) => {
      const rendered = await helmTemplate(CHART_DIR, values, namespace);

      const result = await serverDryRun(rendered, namespace);

      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout.trim().split('\n')).toHaveLength(rendered.length);
    });

    it('given a rendered Deployment with a field its schema lacks, when applied as a dry run, then the server refuses naming it', async () => {
      const rendered = await helmTemplate(CHART_DIR, {}, namespace);
      const deployment = rendered.find((object) => object.kind === 'Deployment');
      const broken = { ...deployment, spec: { ...(deployment?.spec as object), replicaz: 2 } } as KubeObject;

      const result = await serverDryRun([broken], namespace);

      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('replicaz');
    });
  });
});
