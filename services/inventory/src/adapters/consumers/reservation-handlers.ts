import type { DomainEvent } from '@msa/contracts';
import { type EventHandlers, type HandlerContext, NonRetriableError } from '@msa/platform';
import { DomainRejection } from '@msa/platform/domain';
import type { ConsumedContext, ReservationCommands } from '../../ports.js';

/**
 * The `inventory.reservations` group: opens a stock record per created product, reserves for
 * created orders, sells what completed orders hold and releases on request. Every effect goes on the
 * runner's transaction, so it commits with the inbox row that makes a redelivery a no-op. A
 * rejection of the domain will be the same on every attempt, so it goes to the dead-letter topic at once.
 */
export function reservationHandlers(commands: ReservationCommands, clock: () => Date = () => new Date()): EventHandlers {
  const context = (event: DomainEvent, { tx }: HandlerContext): ConsumedContext => ({
    tx,
    correlationId: event.correlationId,
    causationId: event.eventId,
    now: clock(),
  });
  return {
    ProductCreated: (event, handler) => commands.openStock(event.payload.productId, context(event, handler)),
    OrderCreated: (event, handler) =>
      settled(
        commands.reserve(
          event.payload.orderId,
          event.payload.items.map(({ productId, quantity }) => ({ productId, quantity })),
          context(event, handler),
        ),
      ),
    StockReleaseRequested: (event, handler) => settled(commands.release(event.payload.orderId, context(event, handler))),
    OrderCompleted: (event, handler) => settled(commands.commit(event.payload.orderId, context(event, handler))),
  };
}

async function settled(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainRejection) throw new NonRetriableError(error.message, { cause: error });
    throw error;
  }
}
