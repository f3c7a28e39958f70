import type { Kafka, Producer } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { EVENT_COLUMNS } from '../event-store/rows.js';
import { toOutbound, toTopicMessages, type OutboxRow, type TopicResolver } from './messages.js';

/**
 * The control build's dual write (`NAIVE_DUAL_WRITE`), the design the outbox replaced, kept so the
 * fault suite can show what it loses: once an append commits, its events are read back and sent to
 * Kafka by a plain producer, fire and forget. A crash between the commit and the send, or a broker
 * away for longer than the producer's retries, loses them; nothing records what was sent.
 */
export interface NaivePublisher {
  /** Sends the events of `streamId` after version `after` up to `upTo`, once they are committed. */
  readonly publish: (streamId: string, after: number, upTo: number) => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createNaivePublisher({ pool, kafka, logger, resolveTopic }: { readonly pool: pg.Pool; readonly kafka: Kafka; readonly logger: Logger; readonly resolveTopic: TopicResolver }): NaivePublisher {
  const log = logger.child({ component: 'naive-publisher' });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  let connected: Promise<void> | undefined;
  return {
    publish(streamId, after, upTo) {
      void (async () => {
        await connected;
        const { rows } = await pool.query<OutboxRow>(
          `select e.transaction_id::text as transaction_id, ${EVENT_COLUMNS} from events e
            where e.stream_id = $1 and e.version > $2 and e.version <= $3 order by e.version`,
          [streamId, after, upTo],
        );
        for (const topicMessages of toTopicMessages(rows.map((row) => toOutbound(row, resolveTopic)))) await producer.send({ ...topicMessages, acks: -1 });
      })().catch((error: unknown) => {
        log.error({ err: error, streamId, after, upTo }, 'publishing after commit failed; the events are lost');
      });
    },
    start() {
      connected = producer.connect();
      return connected;
    },
    stop: () => producer.disconnect(),
  };
}
