export { createKafka, type KafkaClientOptions } from './client.js';
export { createProducer } from './producer.js';
