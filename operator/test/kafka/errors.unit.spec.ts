import { MultipleErrors, NetworkError, ProtocolError, ResponseError, TimeoutError, UserError } from '@platformatic/kafka';
import { classifyKafkaError, KafkaAdminError, topicAnswers } from '../../src/kafka/errors.js';

// Kafka's API keys, as the client's ResponseError names the request it answers.
const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;

/** A refused connection as the client reports it: the system's error inside its NetworkError, per broker tried. */
function refusedConnection(): MultipleErrors {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  return new MultipleErrors('Cannot connect to any broker.', [new NetworkError('Connection to 127.0.0.1:9 failed.', { cause: refused })]);
}

describe('classifyKafkaError', () => {
  it('given a refused connection, when classified, then it is a retriable "Kafka unreachable"', () => {
    const error = classifyKafkaError(refusedConnection(), 'describing topic t');

    expect(error).toBeInstanceOf(KafkaAdminError);
    expect(error).toMatchObject({ retriable: true, message: 'Kafka unreachable while describing topic t: connect ECONNREFUSED' });
  });

  it('given exhausted client retries around an outage, when classified, then the outage shows through and stays retriable', () => {
    const exhausted = new MultipleErrors('metadata failed 3 times.', [refusedConnection(), refusedConnection(), refusedConnection()]);

    expect(classifyKafkaError(exhausted, 'creating topic t')).toMatchObject({ retriable: true, type: undefined });
  });

  it('given a request that timed out, when classified, then it is a retriable "Kafka unreachable" although the client gave up', () => {
    const timedOut = new MultipleErrors('createTopics failed 1 times.', [new TimeoutError('Request timed out', { canRetry: false })]);

    expect(classifyKafkaError(timedOut, 'creating topic t')).toMatchObject({
      retriable: true,
      message: 'Kafka unreachable while creating topic t: Request timed out',
    });
  });

  it('given a protocol refusal, when classified, then Kafka’s error type and retriable flag are kept', () => {
    const refused = new ProtocolError('INVALID_CONFIG', 'Configuration is invalid');

    expect(classifyKafkaError(refused, 'changing config of t')).toMatchObject({
      type: 'INVALID_CONFIG',
      retriable: false,
      message: 'Kafka refused changing config of t: INVALID_CONFIG: Configuration is invalid',
    });
  });

  it('given a refusal Kafka explains, when classified, then the status gets Kafka’s own words', () => {
    const refused = new ResponseError(CREATE_TOPICS, 7, { '/topics/0': [40, 'Unknown topic config name: no.such.key'] }, {});

    expect(classifyKafkaError(new MultipleErrors('Creating topics failed.', [refused]), 'creating topic t')).toMatchObject({
      type: 'INVALID_CONFIG',
      message: 'Kafka refused creating topic t: INVALID_CONFIG: Unknown topic config name: no.such.key',
    });
  });

  it('given an aggregate of per-topic errors, when classified, then the first topic error is reported', () => {
    const perTopic = new ResponseError(CREATE_TOPICS, 7, { '/topics/0': [38, 'Unable to replicate the partition 3 time(s)'], '/topics/1': [40, null] }, {});
    const aggregate = new MultipleErrors('Creating topics failed.', [perTopic]);

    expect(classifyKafkaError(aggregate, 'creating topic t')).toMatchObject({ type: 'INVALID_REPLICATION_FACTOR', retriable: false });
  });

  it('given a retriable refusal, when classified, then it stays retriable', () => {
    expect(classifyKafkaError(new ProtocolError('NOT_CONTROLLER'), 'creating topic t')).toMatchObject({ type: 'NOT_CONTROLLER', retriable: true });
  });

  it('given an error that is not the client’s, when classified, then it is returned unchanged', () => {
    const bug = new TypeError('x is undefined');

    expect(classifyKafkaError(bug, 'anything')).toBe(bug);
  });

  it('given a call the client rejects, when classified, then it is returned unchanged as the operator’s fault', () => {
    const misuse = new UserError('/options/topics must be array.');

    expect(classifyKafkaError(misuse, 'creating topic t')).toBe(misuse);
  });
});

describe('topicAnswers', () => {
  it('given a batch answered in another order than asked, when read, then each topic gets its own answer by name', () => {
    const response = {
      topics: [
        { name: 'b', topicId: '00000000-0000-0000-0000-000000000000', errorCode: 38 },
        { name: 'a', topicId: '15e4ed06-60c9-41b5-b66b-bdc89f4c4077', errorCode: 0 },
      ],
    };
    const failed = new MultipleErrors('Creating topics failed.', [new ResponseError(CREATE_TOPICS, 7, { '/topics/0': [38, 'no'] }, response)]);

    const answers = topicAnswers(failed, 'topics');

    expect(answers?.get('a')).toEqual({ topicId: '15e4ed06-60c9-41b5-b66b-bdc89f4c4077' });
    expect(answers?.get('b')?.error).toMatchObject({ apiId: 'INVALID_REPLICATION_FACTOR' });
  });

  it('given retries, when read, then the last attempt’s answer counts', () => {
    const attempt = (codes: number[]) =>
      new ResponseError(
        DELETE_TOPICS,
        6,
        Object.fromEntries(codes.flatMap((code, i): [string, [number, null]][] => (code === 0 ? [] : [[`/responses/${i}`, [code, null]]]))),
        { responses: [{ name: 'a' }, { name: 'b' }] },
      );
    const failed = new MultipleErrors('deleteTopics failed 2 times.', [attempt([7, 3]), attempt([0, 3])]);

    const answers = topicAnswers(failed, 'responses');

    expect(answers?.get('a')).toEqual({});
    expect(answers?.get('b')?.error).toMatchObject({ apiId: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('given Kafka not reached, when read, then there are no answers', () => {
    expect(topicAnswers(new MultipleErrors('Creating topics failed.', [refusedConnection()]), 'topics')).toBeUndefined();
  });
});
