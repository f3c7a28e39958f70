import { kafkaTopicId } from '../../src/kafka/topic-id.js';

describe('kafkaTopicId', () => {
  it('given the client’s hex UUID, when converted, then it reads as Kafka writes it (Uuid.toString, kafka-topics.sh)', () => {
    // The pair as Kafka 4.3's own Uuid.toString() printed it for one topic of the local broker.
    expect(kafkaTopicId('6c87f5c9-22b4-4d44-af6f-9c7fd57a57a9')).toBe('bIf1ySK0TUSvb5x_1XpXqQ');
  });

  it('given Kafka’s zero id, when converted, then there is no id', () => {
    expect(kafkaTopicId('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('given a broker that predates topic ids (the client puts the name there), when converted, then there is no id', () => {
    expect(kafkaTopicId('orders')).toBeUndefined();
  });
});
