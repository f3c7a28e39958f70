import { randomBytes } from 'node:crypto';
import { V1MicroTime, type EventsV1Api } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { TopicEvent } from '../reconcile/events.js';
import { KAFKA_TOPIC_API, type KafkaTopic } from '../reconcile/kafka-topic.js';
import { describeApiError } from './api-errors.js';

/** Records Kubernetes Events about KafkaTopics. Never throws: an Event lost is not worth a failed reconcile. */
export interface EventRecorder {
  record(kt: KafkaTopic, event: TopicEvent): Promise<void>;
}

/** The `reportingController` of every Event this operator writes. */
const REPORTING_CONTROLLER = 'msa-ecommerce.io/topic-operator';

// events.k8s.io/v1 limits the note to 1 kB.
const MAX_NOTE = 1024;

/** An {@link EventRecorder} writing events.k8s.io/v1 Events, reported as `instance` (the lease identity). */
export function eventRecorder(api: EventsV1Api, instance: string, logger: Logger): EventRecorder {
  return {
    async record(kt, event) {
      const { name, namespace, uid, resourceVersion } = kt.metadata;
      try {
        await api.createNamespacedEvent({
          namespace,
          body: {
            metadata: { name: eventName(name), namespace },
            eventTime: new V1MicroTime(),
            reportingController: REPORTING_CONTROLLER,
            reportingInstance: instance.slice(0, 128),
            action: event.action,
            reason: event.reason,
            type: event.type,
            note: event.note.slice(0, MAX_NOTE),
            regarding: {
              apiVersion: `${KAFKA_TOPIC_API.group}/${KAFKA_TOPIC_API.version}`,
              kind: KAFKA_TOPIC_API.kind,
              name,
              namespace,
              uid,
              ...(resourceVersion === undefined ? {} : { resourceVersion }),
            },
          },
        });
      } catch (error) {
        logger.warn(
          { resource: `${namespace}/${name}`, reason: event.reason, error: describeApiError(error) },
          'could not record event',
        );
      }
    },
  };
}

// As client-go names Events: the object's name, a dot, a hex timestamp (plus a little randomness,
// since several replicas or workers may record in the same millisecond).
function eventName(objectName: string): string {
  return `${objectName.slice(0, 220)}.${Date.now().toString(16)}${randomBytes(3).toString('hex')}`;
}
