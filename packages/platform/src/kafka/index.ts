export { createKafka, type KafkaClientOptions } from './client.js';
export { createProducer } from './producer.js';
export { BROKER_RESTART_RETRY } from './retry.js';
