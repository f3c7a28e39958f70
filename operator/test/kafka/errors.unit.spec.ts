import { classifyKafkaError, KafkaAdminError } from '../../src/kafka/errors.js';

/** An error shaped as kafkajs builds them (its classes cannot be imported by name from ESM). */
function kafkajsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('classifyKafkaError', () => {
  it('given a refused connection, when classified, then it is a retriable "Kafka unreachable"', () => {
    const error = classifyKafkaError(kafkajsError('KafkaJSConnectionError', 'connect ECONNREFUSED'), 'describing topic t');

    expect(error).toBeInstanceOf(KafkaAdminError);
    expect(error).toMatchObject({ retriable: true, message: 'Kafka unreachable while describing topic t: connect ECONNREFUSED' });
  });

  it('given exhausted client retries around an outage, when classified, then the outage shows through and stays retriable', () => {
    const cause = kafkajsError('KafkaJSConnectionError', 'connect ECONNREFUSED');
    const exhausted = kafkajsError('KafkaJSNumberOfRetriesExceeded', 'connect ECONNREFUSED', { retriable: false, cause });

    expect(classifyKafkaError(exhausted, 'creating topic t')).toMatchObject({ retriable: true, type: undefined });
  });

  it('given a protocol refusal, when classified, then Kafka’s error type and retriable flag are kept', () => {
    const refused = kafkajsError('KafkaJSProtocolError', 'Configuration is invalid', { type: 'INVALID_CONFIG', retriable: false });

    expect(classifyKafkaError(refused, 'changing config of t')).toMatchObject({
      type: 'INVALID_CONFIG',
      retriable: false,
      message: 'Kafka refused changing config of t: INVALID_CONFIG: Configuration is invalid',
    });
  });

  it('given an aggregate of per-topic errors, when classified, then the first topic error is reported', () => {
    const perTopic = kafkajsError('KafkaJSCreateTopicError', 'Replication-factor is invalid', {
      type: 'INVALID_REPLICATION_FACTOR',
      retriable: false,
      topic: 't',
    });
    const aggregate = kafkajsError('KafkaJSAggregateError', 'Topic creation errors', { errors: [perTopic] });

    expect(classifyKafkaError(aggregate, 'creating topic t')).toMatchObject({ type: 'INVALID_REPLICATION_FACTOR', retriable: false });
  });

  it('given an error that is not kafkajs’s, when classified, then it is returned unchanged', () => {
    const bug = new TypeError('x is undefined');

    expect(classifyKafkaError(bug, 'anything')).toBe(bug);
  });
});
