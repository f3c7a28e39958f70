import { EventParseError } from '@msa/contracts';
import { KafkaJSError, KafkaJSNonRetriableError } from 'kafkajs';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import pg from 'pg';
import { classifyError, NonRetriableError, RetriableError } from '../../../src/consumer/index.js';

function sqlError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError('statement failed', 0, 'error');
  error.code = code;
  return error;
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe('error classification', () => {
  it('given the handler says so, when classified, then its own verdict and class name stand', () => {
    expect(classifyError(new RetriableError('stock service busy'))).toEqual({
      retriable: true,
      errorClass: 'RetriableError',
      message: 'stock service busy',
    });
    expect(classifyError(new NonRetriableError('order already shipped'))).toMatchObject({ retriable: false });
  });

  it('given an event that does not parse, when classified, then it is never retried', () => {
    const error = new EventParseError('INVALID_EVENT', [{ path: 'payload.email', message: 'Invalid email' }]);

    expect(classifyError(error)).toMatchObject({ retriable: false, errorClass: 'EventParseError' });
  });

  it.each([
    ['40001', 'serialization failure', true],
    ['40P01', 'deadlock', true],
    ['08006', 'connection failure', true],
    ['53300', 'too many connections', true],
    ['57P01', 'admin shutdown', true],
    ['55P03', 'lock not available', true],
    ['23505', 'unique violation', false],
    ['22P02', 'invalid text representation', false],
    ['42P01', 'undefined table', false],
  ])('given PostgreSQL error %s (%s), when classified, then retriable is %s', (code, _what, retriable) => {
    expect(classifyError(sqlError(code))).toEqual({
      retriable,
      errorClass: 'DatabaseError',
      message: `[${code}] statement failed`,
    });
  });

  it('given MongoDB errors, when classified, then network trouble is retried and a duplicate key is not', () => {
    expect(classifyError(new MongoNetworkError('connection reset'))).toMatchObject({ retriable: true });
    expect(classifyError(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toMatchObject({
      retriable: false,
    });
    expect(classifyError(new MongoServerError({ message: 'primary stepped down', code: 189 }))).toMatchObject({
      retriable: true,
    });
  });

  it('given a socket failure, even wrapped as a TypeError cause or inside an AggregateError, then it is retried', () => {
    const fetchFailure = new TypeError('fetch failed', { cause: systemError('ECONNREFUSED') });
    const multiAddress = new AggregateError([systemError('ECONNREFUSED'), systemError('ETIMEDOUT')], 'connect failed');

    expect(classifyError(systemError('ECONNRESET'))).toMatchObject({ retriable: true });
    expect(classifyError(fetchFailure)).toMatchObject({ retriable: true, errorClass: 'TypeError' });
    expect(classifyError(multiAddress)).toMatchObject({ retriable: true });
  });

  it('given kafkajs errors, when classified, then their retriable flag is followed', () => {
    expect(classifyError(new KafkaJSNonRetriableError('bad request'))).toMatchObject({ retriable: false });
    expect(classifyError(new KafkaJSError('leader moved', { retriable: true }))).toMatchObject({ retriable: true });
  });

  it('given a programming error, when classified, then it is not retried', () => {
    expect(classifyError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toMatchObject({
      retriable: false,
      errorClass: 'TypeError',
    });
  });

  it('given an unknown error or a thrown string, when classified, then it gets the bounded retries', () => {
    expect(classifyError(new Error('something odd'))).toMatchObject({ retriable: true, errorClass: 'Error' });
    expect(classifyError('plain string')).toEqual({ retriable: true, errorClass: 'string', message: 'plain string' });
  });
});
