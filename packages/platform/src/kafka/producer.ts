import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/** Options for `createProducer`. */
export interface ProducerOptions {
  /**
   * How often kafkajs retries a failed send before rejecting it. Unset, the producer is idempotent,
   * and kafkajs then retries a send until it succeeds or the producer disconnects: nothing is ever
   * written twice, but a send can wait forever (the outbox relay's choice: its events wait safely in
   * PostgreSQL). Set, the producer is not idempotent (kafkajs warns that bounded retries void
   * idempotence), so a retry after a lost acknowledgement may write a message twice: for a caller
   * that bounds its own waits and tolerates duplicates, such as the consumer's dead-letter writes.
   * @default unbounded, idempotent
   */
  readonly retries?: number;
}

/**
 * A producer with the settings the platform relies on: one request in flight, so a retried send
 * never reorders a partition's messages, and idempotent unless `options.retries` bounds its retries;
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
    ...(retries === undefined ? {} : { retry: { retries } }),
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Since kafkajs 2.0 DefaultPartitioner is the Java-compatible one (it was JavaCompatiblePartitioner;
    // the old default is now LegacyPartitioner): the murmur2 hash of the key, modulo the partition
    // count, as the Java client computes it. A key lands in the same partition whichever client
    // produced it. Naming it also keeps kafkajs from warning about the 2.0 change on every start.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
