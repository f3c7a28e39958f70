import {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { classifySendFailure } from '../../src/outbox/send-failures.js';

function protocolError(type: string, retriable = false): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(`broker says ${type}`), { type, code: 1, retriable }));
}

describe('classifying a failed send', () => {
  it('given the idempotent producer’s state errors, when classified, then the producer is at fault', () => {
    for (const type of ['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']) {
      expect(classifySendFailure(protocolError(type))).toEqual({ kind: 'producer', reason: `${type}: broker says ${type}` });
    }
  });

  it('given a refusal of the records, also wrapped as kafkajs wraps what it gave up on, when classified, then the records are at fault', () => {
    const invalid = protocolError('INVALID_RECORD');

    expect(classifySendFailure(protocolError('MESSAGE_TOO_LARGE')).kind).toBe('record');
    expect(classifySendFailure(new KafkaJSNumberOfRetriesExceeded(invalid, { retryCount: 5, retryTime: 100 }))).toEqual({
      kind: 'record',
      reason: 'INVALID_RECORD: broker says INVALID_RECORD',
    });
  });

  it('given an unreachable cluster or a topic error, when classified, then neither the producer nor the records are blamed', () => {
    expect(classifySendFailure(new KafkaJSConnectionError('Connection timeout')).kind).toBe('other');
    expect(classifySendFailure(protocolError('TOPIC_AUTHORIZATION_FAILED')).kind).toBe('other');
    // Bytes damaged on the way: a retry gets past it, so it must not hold a stream for good.
    expect(classifySendFailure(protocolError('CORRUPT_MESSAGE', true)).kind).toBe('other');
    expect(classifySendFailure(new KafkaJSNumberOfRetriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true), { retryCount: 5, retryTime: 100 })).kind).toBe('other');
    expect(classifySendFailure('a string')).toEqual({ kind: 'other', reason: 'a string' });
  });
});
