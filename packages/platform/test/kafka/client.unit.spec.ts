import { createKafka, createProducer } from '../../src/kafka/index.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { captureLines } from '../telemetry/capture.js';

// kafkajs warns about its 2.0 partitioner change once per process, for the first producer created
// without a partitioner; these run in order, the platform's producer first.
describe('the platform Kafka client', () => {
  const { destination, lines } = captureLines();
  const kafka = createKafka({ clientId: 'client-test', brokers: ['127.0.0.1:1'], logger: createLogger({ service: 'test', destination }) });

  it('given the platform producer, when created, then kafkajs has nothing to warn about', () => {
    createProducer(kafka);

    expect(lines).toEqual([]);
  });

  it('given a producer with bounded retries, when created, then it is not idempotent and kafkajs has nothing to warn about', () => {
    createProducer(kafka, { retries: 2 });

    expect(lines).toEqual([]);
  });

  it.each([-1, 1.5, Number.NaN])('given %p retries, when a producer is created, then it is rejected', (retries) => {
    expect(() => createProducer(kafka, { retries })).toThrow(RangeError);
  });

  it('given a producer without a partitioner, when created, then kafkajs’s warning is a pino line of the kafkajs component', () => {
    kafka.producer();

    expect(lines).toEqual([
      expect.objectContaining({
        service: 'test',
        component: 'kafkajs',
        level: 'warn',
        msg: expect.stringContaining('switched default partitioner') as unknown,
      }),
    ]);
  });
});
