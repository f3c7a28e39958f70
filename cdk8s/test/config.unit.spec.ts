import { loadConfig, type ConfigSchema } from '@msa/platform';
import { loadConfig as loadOperatorConfig } from '../../operator/src/config.js';
import { inventoryConfigSchema } from '../../services/inventory/src/config.js';
import { notificationConfigSchema } from '../../services/notification/src/config.js';
import { orderConfigSchema } from '../../services/order/src/config.js';
import { paymentConfigSchema } from '../../services/payment/src/config.js';
import { productConfigSchema } from '../../services/product/src/config.js';
import { userConfigSchema } from '../../services/user/src/config.js';
import { freshSecretMaterial, platformSecrets, secretName, type Manifest } from '../src/index.js';
import { SERVICES } from '../src/programs.js';
import { field, list, ofKind, record, synthesized } from './support/manifests.js';

const schemas: Readonly<Record<(typeof SERVICES)[number], ConfigSchema>> = {
  user: userConfigSchema,
  product: productConfigSchema,
  order: orderConfigSchema,
  payment: paymentConfigSchema,
  inventory: inventoryConfigSchema,
  notification: notificationConfigSchema,
};

/** The Secrets as `npm run secrets -w cdk8s` makes them, by name. */
async function secretsByName(): Promise<ReadonlyMap<string, Record<string, string>>> {
  const secrets = platformSecrets('msa', await freshSecretMaterial());
  return new Map(secrets.map((secret) => [secret.metadata.name, record(secret, 'stringData') as Record<string, string>]));
}

/** What the kubelet hands the container: envFrom ConfigMaps and Secrets, then env (downward API, `$(VAR)` expanded). */
function containerEnvironment(manifests: readonly Manifest[], deployment: Manifest, secrets: Record<string, string>): { env: Record<string, string>; secretKeys: string[] } {
  const [container] = list(deployment, 'spec', 'template', 'spec', 'containers');
  const env: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const source of list(container, 'envFrom')) {
    const configMap = field(source, 'configMapRef', 'name');
    if (configMap !== undefined) {
      const [found] = ofKind(manifests, 'ConfigMap').filter((m) => m.metadata.name === configMap);
      expect({ configMap, found: found !== undefined }).toEqual({ configMap, found: true });
      Object.assign(env, record(found, 'data'));
    }
    const secret = field(source, 'secretRef', 'name');
    if (secret !== undefined) {
      expect(secret).toBe(`${deployment.metadata.name}-secrets`);
      secretKeys.push(...Object.keys(secrets));
      Object.assign(env, secrets);
    }
  }
  const fromPod: Record<string, string> = { 'metadata.namespace': 'msa', 'metadata.name': 'msa-operator-7d9f-abcde' };
  for (const variable of list(container, 'env')) {
    const name = String(field(variable, 'name'));
    const fieldPath = field(variable, 'valueFrom', 'fieldRef', 'fieldPath');
    const value = typeof fieldPath === 'string' ? fromPod[fieldPath] : field(variable, 'value');
    if (typeof value !== 'string') throw new Error(`${name} has neither a value nor a pod field this spec knows`);
    env[name] = value.replace(/\$\(([A-Z0-9_]+)\)/g, (whole, ref: string) => env[ref] ?? whole);
  }
  return { env, secretKeys };
}

const deployments = (manifests: readonly Manifest[]) => ofKind(manifests, 'Deployment');

describe.each(Object.values(synthesized))('the $profile.name profile', ({ manifests }) => {
  it.each(SERVICES)('given the %s service`s ConfigMap and Secret, then its own config schema parses them', async (service) => {
    const [deployment] = deployments(manifests).filter((d) => d.metadata.name === `msa-${service}`);
    const schema = schemas[service];
    if (deployment === undefined) throw new Error(`no Deployment msa-${service}`);
    const secrets = (await secretsByName()).get(secretName(service)) ?? {};
    const { env, secretKeys } = containerEnvironment(manifests, deployment, secrets);
    expect(secretKeys.length).toBeGreaterThan(0);

    expect(() => loadConfig(schema, env)).not.toThrow();
    const variables = Object.keys(schema.shape);
    expect(Object.keys(env).filter((name) => !variables.includes(name))).toEqual([]);
  });

  it('given the operator`s ConfigMap and pod fields, then its config parses with the namespace and identity of the pod', () => {
    const [deployment] = deployments(manifests).filter((d) => d.metadata.name === 'msa-operator');
    if (deployment === undefined) throw new Error('no Deployment msa-operator');
    const { env, secretKeys } = containerEnvironment(manifests, deployment, {});
    expect(secretKeys).toEqual([]);

    expect(loadOperatorConfig(env)).toMatchObject({
      namespace: 'msa',
      identity: 'msa-operator-7d9f-abcde',
      clusterName: 'msa-kafka',
      kafkaBootstrap: ['msa-kafka-kafka-bootstrap:9092'],
      httpPort: 8080,
      leaseName: 'msa-topic-operator',
    });
  });
});
