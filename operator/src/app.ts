import type { AddressInfo } from 'node:net';
import { CoordinationV1Api, CustomObjectsApi, EventsV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { OperatorConfig } from './config.js';
import { Controller } from './controller/controller.js';
import { LeaderElector } from './controller/leader-election.js';
import { startHttpServer } from './http-server.js';
import { kafkaTopicAdmin } from './kafka/topic-admin.js';
import { keepAliveApiClients } from './kube/api-clients.js';
import { eventRecorder } from './kube/event-recorder.js';
import { kafkaTopicWriter } from './kube/kafka-topics-api.js';
import { leaseStore } from './kube/lease-store.js';
import { TopicInformer } from './kube/topic-informer.js';
import { createMetrics } from './metrics.js';

/** A started operator. */
export interface RunningOperator {
  /** Whether this replica holds the lease and reconciles. */
  readonly isLeader: () => boolean;
  /** Port of the probe and metrics endpoints (useful when configured as 0). */
  readonly httpPort: number;
  /** Releases the lease, finishes reconciliations in flight, and closes every connection. */
  stop(): Promise<void>;
}

/**
 * Wires the operator from its configuration: the KafkaTopic informer and the probe endpoints start
 * at once on every replica; reconciliation starts only on the replica that wins the lease.
 */
export async function startOperator(config: OperatorConfig, logger: Logger): Promise<RunningOperator> {
  const kubeConfig = new KubeConfig();
  if (config.kubeconfigPath === undefined) kubeConfig.loadFromCluster();
  else kubeConfig.loadFromFile(config.kubeconfigPath);
  const apiClient = keepAliveApiClients(kubeConfig);
  const customObjects = apiClient(CustomObjectsApi);

  const metrics = createMetrics();
  const topics = kafkaTopicAdmin({
    brokers: config.kafkaBootstrap,
    clientId: `topic-operator-${config.identity}`,
    logger: logger.child({ component: 'kafka-client' }),
  });
  const informer = new TopicInformer(
    kubeConfig,
    customObjects,
    { namespace: config.namespace, clusterName: config.clusterName, restartDelayMs: 2000 },
    logger.child({ component: 'informer' }),
  );
  const controller = new Controller(
    informer,
    {
      topics,
      kube: kafkaTopicWriter(customObjects),
      events: eventRecorder(apiClient(EventsV1Api), config.identity, logger.child({ component: 'events' })),
      clock: () => new Date(),
      logger: logger.child({ component: 'reconciler' }),
    },
    metrics,
    {
      workers: config.maxConcurrentReconciles,
      resyncPeriodMs: config.resyncPeriodMs,
      retryBaseMs: config.retryBaseMs,
      retryMaxMs: config.retryMaxMs,
    },
    logger.child({ component: 'controller' }),
  );

  const server = await startHttpServer({ port: config.httpPort, registry: metrics.registry, isReady: () => informer.synced });
  await informer.start();

  let stepping: Promise<void> = Promise.resolve();
  const elector = new LeaderElector(
    leaseStore(apiClient(CoordinationV1Api), config.namespace, config.leaseName),
    {
      identity: config.identity,
      leaseDurationMs: config.leaseDurationMs,
      onStartedLeading: () => {
        stepping = stepping.then(() => {
          controller.startLeading();
        });
      },
      onStoppedLeading: () => {
        stepping = stepping.then(() => controller.stopLeading());
      },
    },
    logger.child({ component: 'leader-election' }),
  );
  elector.start();
  logger.info({ namespace: config.namespace, cluster: config.clusterName, identity: config.identity }, 'topic operator started');

  return {
    isLeader: () => elector.isLeader,
    httpPort: (server.address() as AddressInfo).port,
    async stop() {
      await elector.stop();
      await stepping;
      await controller.close();
      await informer.stop();
      await topics.disconnect();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
      logger.info('topic operator stopped');
    },
  };
}
