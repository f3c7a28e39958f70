import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { BROKER_RESTART_RETRY } from './retry.js';

/** Options for `createProducer`. */
export interface ProducerOptions {
  /**
   * How often kafkajs retries a failed send before rejecting it. Unset, the producer is idempotent
   * and kafkajs retries a send as long as a broker restart takes (`BROKER_RESTART_RETRY`, about
   * 30 s) before rejecting it: nothing is written twice while it retries. After a rejection its
   * sequence numbers may no longer match the broker's, so a later send through it could be taken
   * for a duplicate and dropped: send nothing more through it (the outbox relay replaces it, and
   * its events wait in PostgreSQL meanwhile). Set, the producer is not idempotent, so a retry after
   * a lost acknowledgement may write a message twice: for a caller that bounds its own waits and
   * tolerates duplicates, such as the consumer's dead-letter writes.
   * @default `BROKER_RESTART_RETRY`'s, idempotent
   */
  readonly retries?: number;
}

/**
 * A producer with the settings the platform relies on: one request in flight, so a retried send
 * never reorders a partition's messages, and idempotent unless `options.retries` is set;
 * no topic is created by sending to it (topics are provisioned from the catalog); and an explicit
 * partitioner. Send with `acks: -1`, which an idempotent producer requires.
 *
 * @throws RangeError when `retries` is not a non-negative integer.
 */
export function createProducer(kafka: Kafka, { retries }: ProducerOptions = {}): Producer {
  if (retries !== undefined && !(Number.isSafeInteger(retries) && retries >= 0)) {
    throw new RangeError(`producer retries must be a non-negative integer, got ${String(retries)}`);
  }
  return kafka.producer({
    idempotent: retries === undefined,
    // Whatever client `kafka` is, its own retry settings or kafkajs's, the producer's are these.
    retry: { ...BROKER_RESTART_RETRY, ...(retries === undefined ? {} : { retries }) },
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Since kafkajs 2.0 DefaultPartitioner is the Java-compatible one (it was JavaCompatiblePartitioner;
    // the old default is now LegacyPartitioner): the murmur2 hash of the key, modulo the partition
    // count, as the Java client computes it. A key lands in the same partition whichever client
    // produced it. Naming it also keeps kafkajs from warning about the 2.0 change on every start.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
