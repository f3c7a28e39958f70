import { readLocalConfig } from '@msa/local';
import { KAFKA_VERSION, LOCAL_NODE_API_SERVER_PORT, profile, PUBLIC_SERVER_IMAGES } from '../src/profiles.js';
import { synthesize, synthesizeProfile, type Manifest } from '../src/index.js';
import { idOf, synthesized } from './support/manifests.js';

const ids = (manifests: readonly Manifest[]) => new Set(manifests.map(idOf));
const only = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].filter((id) => !b.has(id)).sort();

describe('profiles', () => {
  it('given the local-node settings under the kind name, when synthesized, then the result is the local-node profile`s: only the settings decide', () => {
    const settings = profile('local-node');

    expect(synthesize({ ...settings, name: 'kind' }, 'msa').manifests).toEqual(synthesized['local-node'].manifests);
  });

  it('given both profiles, then the objects only one of them has are the ones the settings name: Kafka, MongoDB or FerretDB, Prometheus, volumes', () => {
    const kind = ids(synthesized.kind.manifests);
    const local = ids(synthesized['local-node'].manifests);

    expect(only(kind, local)).toEqual(['ConfigMap/msa-postgres-init', 'Kafka/msa-kafka', 'KafkaNodePool/dual-role', 'StatefulSet/msa-mongo']);
    expect(only(local, kind)).toEqual([
      'ClusterRole/msa-prometheus',
      'ConfigMap/msa-prometheus-config',
      'Deployment/msa-mongo',
      'Deployment/msa-prometheus',
      'NetworkPolicy/msa-kafka',
      'NetworkPolicy/msa-prometheus',
      'PersistentVolume/msa-data-msa-kafka-0',
      'PersistentVolume/msa-data-msa-postgres-0',
      'RoleBinding/msa-prometheus',
      'Service/msa-kafka',
      'Service/msa-kafka-kafka-bootstrap',
      'Service/msa-prometheus',
      'ServiceAccount/msa-prometheus',
      'StatefulSet/msa-kafka',
      'StorageClass/msa-local-node',
    ]);
  });

  it('given a namespace, when synthesized, then every namespaced object is in it', () => {
    const { manifests } = synthesizeProfile('local-node', { namespace: 'shop-staging' });
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'PersistentVolume', 'StorageClass']);

    for (const manifest of manifests.filter((m) => !clusterScoped.has(m.kind))) {
      expect({ id: idOf(manifest), namespace: manifest.metadata.namespace }).toEqual({ id: idOf(manifest), namespace: 'shop-staging' });
    }
  });

  it('given the local images file, when synthesized, then the local node runs exactly those images and `dev` for the rest', () => {
    const settings = profile('local-node', { localImages: { user: 'localhost/msa/user:3f2a1b' } });

    expect(settings.images.user).toBe('localhost/msa/user:3f2a1b');
    expect(settings.images.order).toBe('localhost/msa/order:dev');
    expect(settings.images.kafka).toBe('localhost/msa/kafka:dev');
  });

  it('given local/config.env, then the local node`s API server port is the one the profile lets the operator and Prometheus reach', () => {
    expect(String(LOCAL_NODE_API_SERVER_PORT)).toBe(readLocalConfig({}).get('MSA_CLUSTER_KUBE_PORT'));
    expect(profile('local-node').apiServerPorts).toContain(LOCAL_NODE_API_SERVER_PORT);
  });

  it('given the versions local/config.env pins, then the kind profile runs the same Kafka, PostgreSQL and Mailpit', () => {
    const local = readLocalConfig({});

    expect(KAFKA_VERSION).toBe(local.get('KAFKA_VERSION'));
    expect(PUBLIC_SERVER_IMAGES.postgres).toBe(`postgres:${local.get('POSTGRES_MAJOR') ?? ''}-bookworm`);
    expect(PUBLIC_SERVER_IMAGES.mailpit).toBe(`axllent/mailpit:${local.get('MAILPIT_VERSION') ?? ''}`);
  });
});
