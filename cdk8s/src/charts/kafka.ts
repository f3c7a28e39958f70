import { createHash } from 'node:crypto';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { Kafka, KafkaSpecKafkaListenersType } from '../../imports/kafka-kafka.strimzi.io.js';
import {
  KafkaNodePool,
  KafkaNodePoolSpecResourcesLimits as Limits,
  KafkaNodePoolSpecResourcesRequests as Requests,
  KafkaNodePoolSpecRoles,
  KafkaNodePoolSpecStorageType,
} from '../../imports/kafkanodepool-kafka.strimzi.io.js';
import { egressTo, ingressFrom } from '../constructs/network-peers.js';
import { tcpProbe } from '../constructs/pod-security.js';
import { ServerWorkload } from '../constructs/server-workload.js';
import { KAFKA_CLUSTER, PORTS, type ProgramSpec } from '../programs.js';
import { KAFKA_VERSION, type Profile } from '../profiles.js';

export interface KafkaChartProps {
  readonly namespace: string;
  readonly profile: Profile;
  readonly programs: readonly ProgramSpec[];
}

/**
 * Apache Kafka in KRaft mode, reached at `msa-kafka-kafka-bootstrap:9092` in both profiles: Strimzi's
 * `Kafka` and `KafkaNodePool` on kind and in staging, a StatefulSet of our own on the local node,
 * where Strimzi's cluster operator is not available. Only the programs that use Kafka may connect.
 */
export class KafkaChart extends Chart {
  constructor(scope: Construct, id: string, props: KafkaChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const clients = props.programs.filter((p) => p.dependencies.includes('kafka')).map((p) => p.name);
    if (props.profile.kafka === 'strimzi') this.strimzi(props, clients);
    else this.statefulSet(props, clients);
  }

  private strimzi({ namespace, profile }: KafkaChartProps, clients: readonly string[]): void {
    const labels = { 'strimzi.io/cluster': KAFKA_CLUSTER };
    const replication = String(Math.min(profile.kafkaReplicas, 3));
    new KafkaNodePool(this, 'node-pool', {
      metadata: { name: 'dual-role', namespace, labels },
      spec: {
        replicas: profile.kafkaReplicas,
        roles: [KafkaNodePoolSpecRoles.CONTROLLER, KafkaNodePoolSpecRoles.BROKER],
        storage: { type: KafkaNodePoolSpecStorageType.PERSISTENT_HYPHEN_CLAIM, size: '10Gi', deleteClaim: false },
        resources: {
          requests: { cpu: Requests.fromString('250m'), memory: Requests.fromString('1Gi') },
          limits: { cpu: Limits.fromString('2'), memory: Limits.fromString('2Gi') },
        },
      },
    });
    new Kafka(this, 'kafka', {
      metadata: {
        name: KAFKA_CLUSTER,
        namespace,
        annotations: { 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' },
      },
      spec: {
        kafka: {
          version: KAFKA_VERSION,
          listeners: [
            {
              name: 'plain',
              port: PORTS.kafka,
              type: KafkaSpecKafkaListenersType.INTERNAL,
              tls: false,
              networkPolicyPeers: [{ podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [...clients] }] } }],
            },
          ],
          config: {
            'auto.create.topics.enable': 'false',
            'offsets.topic.replication.factor': replication,
            'transaction.state.log.replication.factor': replication,
            'transaction.state.log.min.isr': String(Math.min(profile.kafkaReplicas, 2)),
            'default.replication.factor': replication,
            'min.insync.replicas': String(Math.min(profile.kafkaReplicas, 2)),
          },
        },
        // Our operator is the only KafkaTopic controller: Strimzi's topic operator is left out.
        entityOperator: { userOperator: {} },
      },
    });
  }

  private statefulSet({ namespace, profile }: KafkaChartProps, clients: readonly string[]): void {
    const replicas = profile.kafkaReplicas;
    const pod = (ordinal: number) => `msa-kafka-${ordinal}.msa-kafka.$(POD_NAMESPACE).svc`;
    const voters = Array.from({ length: replicas }, (_, ordinal) => `${ordinal}@${pod(ordinal)}:${PORTS.kafkaController}`);
    const replication = String(Math.min(replicas, 3));
    const fieldEnv = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    // images/kafka/entrypoint.sh writes server.properties from these (KAFKA_CFG_<NAME> is any setting).
    const settings: Record<string, string> = {
      KAFKA_CLUSTER_ID: clusterId(namespace),
      KAFKA_ADVERTISED_HOST: '$(POD_NAME).msa-kafka.$(POD_NAMESPACE).svc',
      KAFKA_CONTROLLER_QUORUM_VOTERS: voters.join(','),
      KAFKA_HEAP_OPTS: '-Xms384m -Xmx384m',
      KAFKA_CFG_OFFSETS_TOPIC_REPLICATION_FACTOR: replication,
      KAFKA_CFG_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: replication,
      KAFKA_CFG_TRANSACTION_STATE_LOG_MIN_ISR: String(Math.min(replicas, 2)),
      KAFKA_CFG_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: replication,
      KAFKA_CFG_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: String(Math.min(replicas, 2)),
      KAFKA_CFG_AUTO_CREATE_TOPICS_ENABLE: 'false',
    };
    new ServerWorkload(this, 'kafka', {
      namespace,
      profile,
      name: 'kafka',
      image: 'kafka',
      replicas,
      serviceName: `${KAFKA_CLUSTER}-kafka-bootstrap`,
      ports: [
        { name: 'kafka', port: PORTS.kafka },
        { name: 'controller', port: PORTS.kafkaController },
      ],
      env: [
        // The pod's ordinal is its node id; its name and namespace make the address it advertises.
        fieldEnv('KAFKA_NODE_ID', "metadata.labels['apps.kubernetes.io/pod-index']"),
        fieldEnv('POD_NAME', 'metadata.name'),
        fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
        ...Object.entries(settings).map(([name, value]) => ({ name, value })),
      ],
      dataPath: '/var/lib/kafka/data',
      resources: { cpu: ['200m', '2'], memory: ['640Mi', '1Gi'] },
      readinessProbe: tcpProbe('kafka', { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
      livenessProbe: tcpProbe('controller', { initialDelaySeconds: 60, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 }),
      ingress: [ingressFrom(clients, [PORTS.kafka]), ingressFrom(['kafka'], [PORTS.kafka, PORTS.kafkaController])],
      egress: [{ ...egressTo('kafka', profile), ports: [PORTS.kafka, PORTS.kafkaController].map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) }],
    });
  }
}

/** A KRaft cluster id (16 bytes, base64url) that stays the same for a namespace across syntheses. */
function clusterId(namespace: string): string {
  return createHash('sha256').update(`msa-kafka/${namespace}`).digest().subarray(0, 16).toString('base64url');
}

