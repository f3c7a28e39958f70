import kafkajs from 'kafkajs';
import { causeOfSendFailure, classifyProducerSendFailure, classifySendFailure } from '../../src/kafka/send-failure.js';

// kafkajs is CommonJS and Node's ESM loader cannot see these classes as named exports.
const { KafkaJSConnectionError, KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

/** A broker's answer, as kafkajs builds it from an error code. */
function answered(type: string, retriable: boolean): InstanceType<typeof KafkaJSProtocolError> {
  // kafkajs's constructor takes its error-code table entry; the typings only admit an Error or a string.
  const entry = Object.assign(new Error(`the broker says ${type}`), { type, code: 0, retriable });
  return new KafkaJSProtocolError(entry);
}

function protocolError(type: string, retriable = false): InstanceType<typeof KafkaJSProtocolError> {
  return new KafkaJSProtocolError(Object.assign(new Error(`broker says ${type}`), { type, code: 1, retriable }));
}

describe('causeOfSendFailure', () => {
  it('given a producer-state answer wrapped in exhausted retries, when read, then it blames the producer and carries the inner flag', () => {
    const outOfOrder = answered('OUT_OF_ORDER_SEQUENCE_NUMBER', false);

    expect(causeOfSendFailure(new KafkaJSNumberOfRetriesExceeded(outOfOrder, { retryCount: 1, retryTime: 100 }))).toEqual({
      type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      fault: 'producer',
      retriable: false,
      reason: 'OUT_OF_ORDER_SEQUENCE_NUMBER: the broker says OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
  });

  it('given no answer from Kafka, when read, then nothing is blamed and it may pass', () => {
    expect(causeOfSendFailure(new KafkaJSConnectionError('Connection timeout'))).toEqual({
      type: undefined,
      fault: 'none',
      retriable: true,
      reason: 'Connection timeout',
    });
  });
});

describe('classifySendFailure', () => {
  it.each(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD'])(
    'given the broker answered %s, when classified, then the record itself is at fault',
    (type) => {
      expect(classifySendFailure(answered(type, false))).toEqual({ kind: 'record', type, reason: `${type}: the broker says ${type}` });
    },
  );

  it('given a record refusal wrapped by kafkajs as not retriable, when classified, then the wrapped type decides', () => {
    const wrapped = new KafkaJSNonRetriableError(answered('MESSAGE_TOO_LARGE', false));
    Object.assign(wrapped, { cause: answered('MESSAGE_TOO_LARGE', false) });

    expect(classifySendFailure(wrapped)).toMatchObject({ kind: 'record', type: 'MESSAGE_TOO_LARGE' });
  });

  it('given retries exhausted on too few replicas in sync, when classified, then it is transient although the wrapper is not retriable', () => {
    const notEnough = answered('NOT_ENOUGH_REPLICAS', true);
    const exhausted = new KafkaJSNumberOfRetriesExceeded(notEnough, { retryCount: 2, retryTime: 1_000 });

    expect(exhausted.retriable).toBe(false);
    expect(classifySendFailure(exhausted)).toMatchObject({ kind: 'transient', type: 'NOT_ENOUGH_REPLICAS' });
  });

  it('given a refusal that will not pass by itself, when classified, then it is refused', () => {
    expect(classifySendFailure(answered('TOPIC_AUTHORIZATION_FAILED', false))).toMatchObject({
      kind: 'refused',
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  it('given the idempotent producer’s state errors, when classified, then they count as Kafka flags them, not as the record’s fault', () => {
    expect(classifySendFailure(answered('UNKNOWN_PRODUCER_ID', false))).toMatchObject({ kind: 'refused', type: 'UNKNOWN_PRODUCER_ID' });
  });

  it('given a lost connection or an error of the caller’s own, when classified, then it is transient', () => {
    expect(classifySendFailure(new KafkaJSError('Connection closed'))).toEqual({ kind: 'transient', type: undefined, reason: 'Connection closed' });
    expect(classifySendFailure(new Error('no answer within 30000 ms'))).toMatchObject({ kind: 'transient' });
  });
});

describe('classifyProducerSendFailure', () => {
  it('given the idempotent producer’s state errors, when classified, then the producer is at fault', () => {
    for (const type of ['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']) {
      expect(classifyProducerSendFailure(protocolError(type))).toEqual({ kind: 'producer', reason: `${type}: broker says ${type}` });
    }
  });

  it('given a refusal of the records, also wrapped as kafkajs wraps what it gave up on, when classified, then the records are at fault', () => {
    const invalid = protocolError('INVALID_RECORD');

    expect(classifyProducerSendFailure(protocolError('MESSAGE_TOO_LARGE')).kind).toBe('record');
    expect(classifyProducerSendFailure(new KafkaJSNumberOfRetriesExceeded(invalid, { retryCount: 5, retryTime: 100 }))).toEqual({
      kind: 'record',
      reason: 'INVALID_RECORD: broker says INVALID_RECORD',
    });
  });

  it('given an unreachable cluster or a topic error, when classified, then neither the producer nor the records are blamed', () => {
    expect(classifyProducerSendFailure(new KafkaJSConnectionError('Connection timeout')).kind).toBe('other');
    expect(classifyProducerSendFailure(protocolError('TOPIC_AUTHORIZATION_FAILED')).kind).toBe('other');
    // Bytes damaged on the way: a retry gets past it, so it must not hold a stream for good.
    expect(classifyProducerSendFailure(protocolError('CORRUPT_MESSAGE', true)).kind).toBe('other');
    expect(
      classifyProducerSendFailure(
        new KafkaJSNumberOfRetriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true), { retryCount: 5, retryTime: 100 }),
      ).kind,
    ).toBe('other');
    expect(classifyProducerSendFailure('a string')).toEqual({ kind: 'other', reason: 'a string' });
  });
});
