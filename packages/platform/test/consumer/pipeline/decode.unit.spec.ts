import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import type { SourceRecord } from '../../../src/consumer/handlers.js';
import { decodeMessage } from '../../../src/consumer/pipeline/decode.js';
import { outboxHeaders, userCreated } from '../fixture.js';

const LIMIT = 4_096;

function source(key: string | null, headers: IHeaders = {}): SourceRecord {
  return { topic: 't', partition: 0, offset: '0', key, timestamp: '0', headers };
}

/** What `decodeMessage` says of `value` under `key`: the event's type, or the error's class and message. */
function decode(key: string | null, value: string | null, headers: IHeaders = {}): string {
  const decoded = decodeMessage(source(key, headers), value === null ? null : Buffer.from(value), LIMIT);
  return decoded.success ? decoded.event.eventType : `${decoded.error.errorClass}: ${decoded.error.message}`;
}

describe('decodeMessage', () => {
  const event = userCreated(randomUUID());
  const body = JSON.stringify(event);
  const outbox = { ...outboxHeaders(event), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

  it('given an event under its aggregate id with the outbox headers, when decoded, then it is the event', () => {
    expect(decode(event.aggregateId, body, outbox)).toBe('UserCreated');
  });

  it('given an event with no headers at all, when decoded, then it is the event: the body is what counts', () => {
    expect(decode(event.aggregateId, body)).toBe('UserCreated');
  });

  it('given a value one byte over the limit, when decoded, then it is refused by size before it is parsed', () => {
    expect(decode(event.aggregateId, 'x'.repeat(LIMIT + 1))).toBe(`InvalidMessageError: value is ${LIMIT + 1} bytes, over the consumer's limit of ${LIMIT}`);
  });

  it('given no value, when decoded, then it is refused as such', () => {
    expect(decode(event.aggregateId, null)).toBe('InvalidMessageError: message has no value');
  });

  it('given an event without a key, when decoded, then it is refused for the key', () => {
    expect(decode(null, body, outbox)).toBe('InvalidMessageError: message has no key; an event is keyed by its aggregate id');
  });

  it('given an event under another key, when decoded, then it is refused naming both', () => {
    expect(decode('someone-else', body)).toBe(`InvalidMessageError: key "someone-else" is not the event's aggregate id "${event.aggregateId}"`);
  });

  it.each([
    ['event-id', randomUUID(), 'eventId', event.eventId],
    ['event-type', 'UserUpdated', 'eventType', 'UserCreated'],
    ['event-version', '2', 'version', '1'],
    ['schema-version', '9', 'schemaVersion', String(event.schemaVersion)],
    ['aggregate-type', 'Order', 'aggregateType', 'User'],
    ['correlation-id', 'other', 'correlationId', 'test'],
    ['causation-id', 'other', 'causationId', 'test'],
  ])('given the %s header saying %s, when decoded, then it is refused naming the header and the field it contradicts', (header, stated, field, actual) => {
    expect(decode(event.aggregateId, body, { ...outbox, [header]: stated })).toBe(
      `InvalidMessageError: header ${header} "${stated}" contradicts the event's ${field} "${actual}"`,
    );
  });

  it('given bytes that are not JSON, when decoded, then the parser says why', () => {
    expect(decode(event.aggregateId, '{"eventType": ')).toMatch(/^SyntaxError: .*JSON/);
  });

  it('given JSON that is no event, when decoded, then the contracts name the first failing field', () => {
    expect(decode(event.aggregateId, '{"hello": "world"}')).toMatch(/^EventParseError: INVALID_EVENT at eventType: /);
  });
});
