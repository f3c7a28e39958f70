import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@msa/contracts';
import { readDeadLetterInfo } from '../../../src/consumer/dead-letter/headers.js';
import type { HandlerContext } from '../../../src/consumer/index.js';
import { eventually, outboxHeaders, unique, userCreated } from '../fixture.js';
import { useConsumerTestbed } from '../testbed.js';

describe('consumer runner: messages no outbox would publish', () => {
  const bed = useConsumerTestbed('consumer_hostile');
  const group = unique('test-hostile');
  const maxMessageBytes = 2_048;
  const handled: string[] = [];
  let topic: string;

  function record(event: DomainEvent, _context: HandlerContext): Promise<void> {
    handled.push(event.aggregateId);
    return Promise.resolve();
  }

  beforeAll(async () => {
    topic = await bed.createTopic('test.consumer.hostile');
    await bed.startRunner({ groupId: group, topics: [topic], handlers: { UserCreated: record, UserUpdated: record }, maxMessageBytes, commitIntervalMs: 0 });
  });

  it('given an oversized value, a missing key, a header contradicting the body and a key that is not the aggregate, when consumed, then each is dead-lettered as unparseable naming what was wrong and the next event on the partition is handled', async () => {
    const oversized = userCreated(randomUUID());
    const keyless = userCreated(randomUUID());
    const contradicted = userCreated(randomUUID());
    const misKeyed = userCreated(randomUUID());
    const valid = userCreated(randomUUID());
    const padded = JSON.stringify({ ...oversized, padding: 'p'.repeat(maxMessageBytes) });

    await bed.publish(topic, [
      { key: oversized.aggregateId, raw: padded },
      { key: null, raw: JSON.stringify(keyless), headers: outboxHeaders(keyless) },
      { key: contradicted.aggregateId, raw: JSON.stringify(contradicted), headers: { ...outboxHeaders(contradicted), 'event-type': 'UserUpdated' } },
      { key: randomUUID(), raw: JSON.stringify(misKeyed), headers: outboxHeaders(misKeyed) },
      { key: valid.aggregateId, raw: JSON.stringify(valid), headers: outboxHeaders(valid) },
    ]);

    await eventually(() => handled.includes(valid.aggregateId));
    await eventually(async () => (await bed.deadLetters(topic)).length === 4);
    const infos = (await bed.deadLetters(topic)).map((message) => readDeadLetterInfo(message.headers));

    expect(handled).toEqual([valid.aggregateId]);
    expect(infos.map((info) => [info?.reason, info?.errorClass, info?.originalOffset])).toEqual([
      ['unparseable', 'InvalidMessageError', '0'],
      ['unparseable', 'InvalidMessageError', '1'],
      ['unparseable', 'InvalidMessageError', '2'],
      ['unparseable', 'InvalidMessageError', '3'],
    ]);
    expect(infos.map((info) => info?.errorMessage)).toEqual([
      `value is ${Buffer.byteLength(padded)} bytes, over the consumer's limit of ${maxMessageBytes}`,
      'message has no key; an event is keyed by its aggregate id',
      'header event-type "UserUpdated" contradicts the event\'s eventType "UserCreated"',
      expect.stringMatching(new RegExp(`^key "[0-9a-f-]{36}" is not the event's aggregate id "${misKeyed.aggregateId}"$`)),
    ]);
  });
});
