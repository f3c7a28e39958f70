import { randomUUID } from 'node:crypto';
import { type DomainEvent, type EventOf } from '@msa/contracts';
import { createLogger, type HandlerContext, NonRetriableError, type Transaction } from '@msa/platform';
import { reservationHandlers } from '../../../src/adapters/consumers/reservation-handlers.js';
import { NoReservationToSell } from '../../../src/domain/errors.js';
import type { ConsumedContext, ReservationCommands } from '../../../src/ports.js';
import { orderCompleted, orderCreated, productCreated, stockReleaseRequested } from '../../support/events.js';

const now = new Date('2025-03-01T09:30:00.000Z');
const tx = { client: {}, afterCommit: () => undefined } as unknown as Transaction;
const handlerContext = {
  tx,
  message: { topic: 't', partition: 0, offset: '0', key: null, timestamp: '0', headers: {} },
  attempt: 1,
  log: createLogger({ service: 'inventory', level: 'silent' }),
} satisfies HandlerContext;

/** Records what each command was asked, and fails `commit` with `commitFails` when given. */
function recordingCommands(commitFails?: Error) {
  const calls: [string, ...unknown[]][] = [];
  const commands: ReservationCommands = {
    openStock: (productId, context) => Promise.resolve(void calls.push(['openStock', productId, context])),
    reserve: (orderId, lines, context) => Promise.resolve(void calls.push(['reserve', orderId, lines, context])),
    release: (orderId, context) => Promise.resolve(void calls.push(['release', orderId, context])),
    commit: (orderId, context) => (commitFails === undefined ? Promise.resolve(void calls.push(['commit', orderId, context])) : Promise.reject(commitFails)),
  };
  return { calls, commands };
}

async function handle(handlers: ReturnType<typeof reservationHandlers>, event: DomainEvent): Promise<void> {
  const handler = handlers[event.eventType] as ((event: DomainEvent, context: HandlerContext) => Promise<void>) | undefined;
  if (handler === undefined) throw new Error(`no handler for ${event.eventType}`);
  await handler(event, handlerContext);
}

const contextOf = (event: DomainEvent): ConsumedContext => ({ tx, correlationId: event.correlationId, causationId: event.eventId, now });

describe('inventory.reservations handlers', () => {
  it('given a created product, when handled, then its stock record is opened in the runner transaction', async () => {
    const { calls, commands } = recordingCommands();
    const event = productCreated();

    await handle(reservationHandlers(commands, () => now), event);

    expect(calls).toEqual([['openStock', event.payload.productId, contextOf(event)]]);
  });

  it('given a created order, when handled, then its lines are reserved, caused by the event and in its flow', async () => {
    const { calls, commands } = recordingCommands();
    const productId = randomUUID();
    const event: EventOf<'OrderCreated'> = orderCreated([{ productId, quantity: 3 }]);

    await handle(reservationHandlers(commands, () => now), event);

    expect(calls).toEqual([['reserve', event.payload.orderId, [{ productId, quantity: 3 }], contextOf(event)]]);
  });

  it('given a release request and a completion, when handled, then the order is released and sold', async () => {
    const { calls, commands } = recordingCommands();
    const orderId = randomUUID();
    const release = stockReleaseRequested(orderId);
    const completed = orderCompleted(orderId);

    await handle(reservationHandlers(commands, () => now), release);
    await handle(reservationHandlers(commands, () => now), completed);

    expect(calls).toEqual([
      ['release', orderId, contextOf(release)],
      ['commit', orderId, contextOf(completed)],
    ]);
  });

  it('given a completion the domain rejects, when handled, then it fails as not retriable, to be dead-lettered at once', async () => {
    const orderId = randomUUID();
    const { commands } = recordingCommands(new NoReservationToSell(orderId));

    const failure = await handle(reservationHandlers(commands, () => now), orderCompleted(orderId)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(NonRetriableError);
    expect((failure as NonRetriableError).cause).toBeInstanceOf(NoReservationToSell);
  });

  it('given a completion that fails on the database, when handled, then the error is left to the runner to classify', async () => {
    const outage = new Error('connection reset');
    const { commands } = recordingCommands(outage);

    await expect(handle(reservationHandlers(commands, () => now), orderCompleted(randomUUID()))).rejects.toBe(outage);
  });
});
