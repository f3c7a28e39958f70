const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Kafka's "no id" (Uuid.ZERO_UUID), which it sends for a topic it failed to create.
const ZERO = '00000000-0000-0000-0000-000000000000';

/**
 * A topic id as Kafka writes it, from the client's form. The client reads the 16 bytes as a
 * hyphenated hex UUID; Kafka's `Uuid.toString()` — what `kafka-topics.sh --describe` prints and
 * what Strimzi writes to `status.topicId` — is those bytes in URL-safe base64 without padding.
 * Undefined for the zero id, and for anything that is not a UUID: from brokers that predate topic
 * ids (Metadata below v10), the client puts the topic's name there.
 */
export function kafkaTopicId(clientId: string): string | undefined {
  if (!UUID.test(clientId) || clientId === ZERO) return undefined;
  return Buffer.from(clientId.replaceAll('-', ''), 'hex').toString('base64url');
}
