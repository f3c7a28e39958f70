import kafkajs from 'kafkajs';
import { classifySendFailure } from '../../src/kafka/send-failure.js';

// kafkajs is CommonJS and Node's ESM loader cannot see these classes as named exports.
const { KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

/** A broker's answer, as kafkajs builds it from an error code. */
function answered(type: string, retriable: boolean): InstanceType<typeof KafkaJSProtocolError> {
  // kafkajs's constructor takes its error-code table entry; the typings only admit an Error or a string.
  const entry = Object.assign(new Error(`the broker says ${type}`), { type, code: 0, retriable });
  return new KafkaJSProtocolError(entry);
}

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

  it('given a lost connection or an error of the caller’s own, when classified, then it is transient', () => {
    expect(classifySendFailure(new KafkaJSError('Connection closed'))).toEqual({ kind: 'transient', type: undefined, reason: 'Connection closed' });
    expect(classifySendFailure(new Error('no answer within 30000 ms'))).toMatchObject({ kind: 'transient' });
  });
});
