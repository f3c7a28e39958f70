import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * A producer with the settings the platform relies on: idempotent with one request in flight, so a
 * retried send neither duplicates nor reorders a partition's messages; no topic is created by sending
 * to it (topics are provisioned from the catalog); and an explicit partitioner. Send with `acks: -1`,
 * which an idempotent producer requires.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Since kafkajs 2.0 DefaultPartitioner is the Java-compatible one (it was JavaCompatiblePartitioner;
    // the old default is now LegacyPartitioner): the murmur2 hash of the key, modulo the partition
    // count, as the Java client computes it. A key lands in the same partition whichever client
    // produced it. Naming it also keeps kafkajs from warning about the 2.0 change on every start.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
