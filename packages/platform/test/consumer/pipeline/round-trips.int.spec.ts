import { randomUUID } from 'node:crypto';
import type { PoolClient, QueryConfig } from 'pg';
import { userCreated } from '../fixture.js';
import { useConsumerTestbed } from '../testbed.js';

/** The statements of one checkout of a pooled connection, in order. */
type Checkout = { readonly text: string; readonly values: readonly unknown[] }[];

describe('consumer runner: what one message costs PostgreSQL', () => {
  const bed = useConsumerTestbed('consumer_trips');
  const checkouts: Checkout[] = [];
  const wrapped = new WeakSet<PoolClient>();
  let handled: (() => void) | undefined;
  let topic: string;

  /** Records every statement sent on the runner's pool, one list per checkout of a connection. */
  function recordCheckouts(client: PoolClient): void {
    const checkout: Checkout = [];
    checkouts.push(checkout);
    (client as PoolClient & { currentCheckout: Checkout }).currentCheckout = checkout;
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [first, second] = args;
      const text = typeof first === 'string' ? first : (first as QueryConfig).text;
      const values = Array.isArray(second) ? second : ((first as QueryConfig).values ?? []);
      (client as PoolClient & { currentCheckout: Checkout }).currentCheckout.push({ text, values });
      return query(...args);
    };
  }

  beforeAll(async () => {
    topic = await bed.createTopic('test.consumer.trips');
    bed.database.pool.on('acquire', recordCheckouts);
    await bed.startRunner({
      groupId: `test-trips-${randomUUID()}`,
      topics: [topic],
      handlers: {
        UserCreated: async (event, { tx }) => {
          await tx.client.query('select $1::uuid as effect', [event.eventId]);
          tx.afterCommit(() => handled?.());
        },
      },
    });
  });

  it('given a message of a free key, when it is handled, then it costs one checkout and one transaction: begin, one read, the handler, the inbox row, commit', async () => {
    const event = userCreated(randomUUID());
    const done = new Promise<void>((resolve) => {
      handled = resolve;
    });

    await bed.publish(topic, [event]);
    await done;

    const mentionsTheMessage = (checkout: Checkout) =>
      checkout.some(({ values }) => values.includes(event.eventId) || values.includes(event.aggregateId));
    const ofTheMessage = checkouts.filter(mentionsTheMessage);
    expect(ofTheMessage).toHaveLength(1);
    const texts = ofTheMessage[0]?.map(({ text }) => text.trim().split(/\s+/).slice(0, 3).join(' '));
    expect(texts).toEqual([
      'begin isolation level',
      'select exists (select',
      'select $1::uuid as',
      'insert into consumer_inbox',
      'commit',
    ]);
  }, 60_000);
});
