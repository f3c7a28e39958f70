import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { createProducer } from '../kafka/producer.js';
import { classifyProducerSendFailure } from '../kafka/send-failure.js';
import { RECORD_BATCH_HEADER_BYTES, toOutbound, toTopicMessages, type OutboundEvent, type OutboxRow, type TopicResolver } from './messages.js';
import type { UnpublishableEntry } from './unpublishable.js';

/** What became of a batch of events. */
export interface PublishOutcome {
  /** Acknowledged by Kafka, each stream's in order. */
  readonly published: readonly OutboxRow[];
  /** Not published, each stream's in order: refused for good, or held behind such an event. */
  readonly unpublished: readonly UnpublishableEntry[];
}

/** Sends the relay's events through one idempotent producer at a time. */
export interface RelayPublisher {
  /**
   * Sends `rows` in order, in sends of at most `maxBatchBytes`. An event Kafka can never take is
   * returned as unpublishable, its stream added to `held`; events of streams in `held` are returned
   * as held without being sent. `beforeSend` runs before every send and may throw to stop it.
   * Rejects, with nothing more sent, on any other failure.
   */
  publish(rows: readonly OutboxRow[], held: Set<string>, beforeSend: () => void): Promise<PublishOutcome>;
  /** Disconnects the producer for good; a send in flight fails. */
  close(): Promise<void>;
}

/** Options for `createRelayPublisher`. */
export interface RelayPublisherOptions {
  readonly kafka: Kafka;
  readonly resolveTopic: TopicResolver;
  readonly maxBatchBytes: number;
  readonly logger: Logger;
  /** How long disconnecting a replaced producer may take before the relay goes on without waiting. */
  readonly disconnectTimeoutMs: number;
}

// A send refused for the producer's state is tried once more through a new producer.
const PRODUCER_RETRIES = 1;

/**
 * The relay's sending: byte-bounded sends, a new producer after any failed send, and refusals of
 * the records narrowed down, by halving, to the events that Kafka refuses alone. See DESIGN.md.
 */
export function createRelayPublisher({ kafka, resolveTopic, maxBatchBytes, logger, disconnectTimeoutMs }: RelayPublisherOptions): RelayPublisher {
  let producer: Producer = createProducer(kafka);
  let connected = false;
  let closed = false;

  async function send(events: readonly OutboundEvent[]): Promise<void> {
    if (closed) throw new Error('the relay is stopping: nothing more is sent');
    if (!connected) {
      await producer.connect();
      connected = true;
    }
    await producer.sendBatch({ topicMessages: toTopicMessages(events), acks: -1 });
  }

  /**
   * After a failed send the producer's sequence numbers for the partitions it touched no longer match
   * the broker's: kafkajs rolls them back even for partitions that stored the records. A new producer
   * (a new producer id) starts them afresh, so nothing sent later is taken for a duplicate or refused
   * as out of order.
   */
  async function replaceProducer(): Promise<void> {
    if (closed) return;
    const old = producer;
    producer = createProducer(kafka);
    connected = false;
    await disconnectWithin(old, disconnectTimeoutMs, logger);
  }

  async function publish(rows: readonly OutboxRow[], held: Set<string>, beforeSend: () => void): Promise<PublishOutcome> {
    const published: OutboxRow[] = [];
    const unpublished: UnpublishableEntry[] = [];

    /** Sends `events` in order, halving on a refusal of the records until each refused one stands alone. */
    async function sendInOrder(events: readonly OutboundEvent[], producerRetries: number): Promise<void> {
      // An event of this stream failed earlier in the batch: the rest of the stream waits behind it.
      const live = events.filter(({ row }) => {
        if (!held.has(row.stream_id)) return true;
        unpublished.push({ row, reason: null });
        return false;
      });
      if (live.length === 0) return;
      beforeSend();
      try {
        await send(live);
        published.push(...live.map(({ row }) => row));
        return;
      } catch (error) {
        if (closed) throw error;
        const failure = classifyProducerSendFailure(error);
        logger.warn({ err: error, kind: failure.kind, events: live.length }, 'send failed; replacing the producer');
        await replaceProducer();
        if (failure.kind === 'producer' && producerRetries > 0) return sendInOrder(live, producerRetries - 1);
        if (failure.kind !== 'record') throw error;
        const [only] = live;
        if (only !== undefined && live.length === 1) {
          refuse(only.row, failure.reason);
          return;
        }
        const middle = Math.ceil(live.length / 2);
        await sendInOrder(live.slice(0, middle), PRODUCER_RETRIES);
        await sendInOrder(live.slice(middle), PRODUCER_RETRIES);
      }
    }

    function refuse(row: OutboxRow, reason: string): void {
      unpublished.push({ row, reason });
      held.add(row.stream_id);
    }

    let chunk: OutboundEvent[] = [];
    let chunkBytes = RECORD_BATCH_HEADER_BYTES;
    for (const row of rows) {
      if (held.has(row.stream_id)) {
        unpublished.push({ row, reason: null });
        continue;
      }
      const event = toOutbound(row, resolveTopic);
      if (RECORD_BATCH_HEADER_BYTES + event.bytes > maxBatchBytes) {
        // Earlier events of its stream in `chunk` go out before it would have; later ones are held.
        refuse(row, `${event.bytes} bytes as a Kafka record, more than the relay's limit of ${maxBatchBytes} per send`);
        continue;
      }
      if (chunkBytes + event.bytes > maxBatchBytes) {
        await sendInOrder(chunk, PRODUCER_RETRIES);
        chunk = [];
        chunkBytes = RECORD_BATCH_HEADER_BYTES;
      }
      chunk.push(event);
      chunkBytes += event.bytes;
    }
    await sendInOrder(chunk, PRODUCER_RETRIES);
    return { published, unpublished };
  }

  return {
    publish,
    async close() {
      closed = true;
      await disconnectWithin(producer, disconnectTimeoutMs, logger);
    },
  };
}

async function disconnectWithin(producer: Producer, timeoutMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timed out');
    }, timeoutMs);
  });
  const outcome = await Promise.race([producer.disconnect().then(() => 'disconnected' as const), timedOut]).catch(
    (error: unknown) => {
      logger.warn({ err: error }, 'could not disconnect a producer');
      return 'failed' as const;
    },
  );
  clearTimeout(timer);
  if (outcome === 'timed out') logger.warn({ timeoutMs }, 'a producer took too long to disconnect; going on without it');
}
