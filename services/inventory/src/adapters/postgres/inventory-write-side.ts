import { randomUUID } from 'node:crypto';
import { createEvent } from '@msa/contracts';
import {
  ConcurrencyError,
  createCommandHandler,
  type EventDraft,
  type EventStore,
  type Transaction,
  withTransaction,
} from '@msa/platform';
import type pg from 'pg';
import { StockNotFound } from '../../domain/errors.js';
import { decideReservation, reservationDecider, type ReservationCommand } from '../../domain/reservation-decider.js';
import {
  evolveReservation,
  initialReservationState,
  type ReservationEvent,
  type ReservationState,
  reservationStream,
  type StockLine,
} from '../../domain/reservation.js';
import { decideStock } from '../../domain/stock-decider.js';
import { applyReservation, evolveStock, type StockEvent, stockStream } from '../../domain/stock.js';
import type { CommandContext, ConsumedContext, ReservationCommands, StockCommands, StockView } from '../../ports.js';
import { lockOrder, lockStock, openStock, type StockRecord, saveStock } from './stock-levels.js';

/** Options for `createInventoryWriteSide`. */
export interface InventoryWriteSideOptions {
  readonly pool: pg.Pool;
  readonly store: EventStore;
  /** `INVENTORY_LOW_WATER_MARK`. */
  readonly lowWaterMark: number;
  /**
   * How an order's lines are reserved: `all-or-none` in the consumer's transaction, or `per-item`,
   * the seed's way, for the control build only (`NAIVE_DUAL_WRITE`). @default 'all-or-none'
   */
  readonly reservations?: 'all-or-none' | 'per-item';
  /** Event ids. @default randomUUID */
  readonly newId?: () => string;
}

/** How often a restock runs again after another writer's append got in first. */
const RESTOCK_ATTEMPTS = 3;

/**
 * The write side on PostgreSQL. Every change of a product's units happens in one transaction that
 * locks the product's stock rows (in product-id order), decides on the levels they hold, appends the
 * events, and writes the new levels; a reservation also holds a transaction-scoped advisory lock on
 * its order first, so the consumers of one order's events take turns. See DESIGN.md.
 */
export function createInventoryWriteSide({
  pool,
  store,
  lowWaterMark,
  reservations: reservationMode = 'all-or-none',
  newId = randomUUID,
}: InventoryWriteSideOptions): StockCommands & ReservationCommands & { readonly view: (record: StockRecord) => StockView } {
  const reservations = createCommandHandler({ store, decider: reservationDecider, newId });

  const view = ({ productId, state, version }: StockRecord): StockView => {
    const { available, reserved, sold, received } = state;
    return { productId, available, reserved, sold, received, lowWaterMark, version };
  };

  /** The events of `drafts`, numbered after `version`, in the flow `context` names. */
  function numbered<E extends StockEvent | ReservationEvent>(
    drafts: readonly EventDraft<E>[],
    version: number,
    context: CommandContext & { readonly now: Date },
  ): E[] {
    const correlationId = context.correlationId ?? context.causationId ?? newId();
    return drafts.map(
      (draft, index) =>
        createEvent({
          ...draft,
          eventId: newId(),
          version: version + index + 1,
          occurredAt: context.now.toISOString(),
          correlationId,
          causationId: context.causationId ?? correlationId,
        }) as E,
    );
  }

  /** Appends the Stock stream's new events after the version the locked row records, and folds them in. */
  async function appendStock(
    tx: Transaction,
    record: StockRecord,
    drafts: readonly EventDraft<StockEvent>[],
    context: CommandContext & { readonly now: Date },
  ): Promise<StockRecord> {
    if (drafts.length === 0) return record;
    const events = numbered<StockEvent>(drafts, record.streamVersion, context);
    await store.append(stockStream(record.productId), record.streamVersion, events, { tx });
    return { ...record, state: events.reduce(evolveStock, record.state), streamVersion: record.streamVersion + events.length };
  }

  /**
   * Applies the reservation's new events to the locked stock rows they name: a hold first gets the
   * Stock aggregate's decision (a depletion alert it may cross), then every line moves its units.
   */
  async function applyToStock(
    tx: Transaction,
    records: ReadonlyMap<string, StockRecord>,
    events: readonly ReservationEvent[],
    context: ConsumedContext & { readonly now: Date },
  ): Promise<void> {
    const changed = new Map<string, StockRecord>();
    for (const event of events) {
      const held = event.eventType === 'InventoryReserved';
      for (const { productId, quantity } of linesMoved(event)) {
        const record = changed.get(productId) ?? records.get(productId);
        if (record === undefined) throw new Error(`order ${event.payload.orderId} moves units of product ${productId}, which has no stock row`);
        const alerts = held ? decideStock({ type: 'HoldStock', data: { productId, quantity, lowWaterMark } }, record.state) : [];
        const moved = { ...record, state: applyReservation(record.state, productId, event) };
        changed.set(productId, await appendStock(tx, moved, alerts, context));
      }
    }
    for (const record of changed.values()) await saveStock(tx.client, record);
  }

  /**
   * Takes the order's turn, reads its reservation, locks the stock rows `plan` names for that state
   * and runs the command it makes of them; `plan` answers `undefined` when there is nothing to do.
   */
  async function onReservation(
    orderId: string,
    context: ConsumedContext,
    plan: (state: ReservationState) => ReservationPlan | undefined,
  ): Promise<void> {
    const { tx } = context;
    const streamId = reservationStream(orderId);
    await lockOrder(tx.client, streamId);
    const { events } = await store.readStream(streamId, { tx });
    const state = events.reduce(
      (current, event) => (isReservationEvent(event) ? evolveReservation(current, event) : current),
      initialReservationState(),
    );
    const next = plan(state);
    if (next === undefined) return;
    const records = await lockStock(tx.client, [...new Set(next.productIds)].sort());
    const now = context.now ?? new Date();
    const result = await reservations(streamId, next.command(records), { ...context, now });
    await applyToStock(tx, records, result.events, { ...context, now });
  }

  /**
   * The control build's reservation, as the seed sketched it: each line on its own, in a transaction
   * of its own that commits at once, decided on that product's units as though the order held
   * nothing (the seed never reads what an order already holds), each answered with an
   * InventoryReserved of its own. So a crash or a redelivery between two lines holds the first ones
   * again, an order short of one line keeps the others held, and the reservation's later events
   * (a sale, a release) follow only the last line's answer: the partial and doubled holds the fault
   * suite must catch.
   */
  async function reservePerItem(orderId: string, lines: readonly StockLine[], context: ConsumedContext): Promise<void> {
    const streamId = reservationStream(orderId);
    for (const line of lines) {
      await withTransaction(pool, async (tx) => {
        await lockOrder(tx.client, streamId);
        const records = await lockStock(tx.client, [line.productId]);
        const drafts = decideReservation(
          { type: 'ReserveStock', data: { orderId, lines: [line], available: availableOf(records) } },
          initialReservationState(),
        );
        const { version } = await store.readStream(streamId, { tx });
        const now = context.now ?? new Date();
        const events = numbered<ReservationEvent>(drafts, version, { ...context, now });
        await store.append(streamId, version, events, { tx });
        await applyToStock(tx, records, events, { ...context, tx, now });
      });
    }
  }

  return {
    view,

    async restock(productId, { quantity, note }, context) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await withTransaction(pool, async (tx) => {
            const record = (await lockStock(tx.client, [productId])).get(productId);
            if (record === undefined) throw new StockNotFound(productId);
            const drafts = decideStock({ type: 'ReceiveStock', data: { productId, quantity, note } }, record.state);
            const received = await appendStock(tx, record, drafts, { ...context, now: context.now ?? new Date() });
            return view(await saveStock(tx.client, received));
          });
        } catch (error) {
          // The product's stream moved on under a writer that skipped the locks (another version of
          // the service during a deploy, say): run it again on what that writer committed.
          if (!(error instanceof ConcurrencyError) || attempt >= RESTOCK_ATTEMPTS) throw error;
        }
      }
    },

    async openStock(productId, { tx }) {
      await openStock(tx.client, productId);
    },

    reserve(orderId, lines, context) {
      if (reservationMode === 'per-item') return reservePerItem(orderId, lines, context);
      return onReservation(orderId, context, (state) =>
        state.status === 'none'
          ? {
              productIds: lines.map((line) => line.productId),
              command: (records) => ({ type: 'ReserveStock', data: { orderId, lines, available: availableOf(records) } }),
            }
          : undefined,
      );
    },

    release(orderId, context) {
      return onReservation(orderId, context, (state) => ({
        productIds: state.status === 'held' || state.status === 'sold' ? state.items.map((line) => line.productId) : [],
        command: () => ({ type: 'ReleaseStock', data: { orderId } }),
      }));
    },

    commit(orderId, context) {
      return onReservation(orderId, context, (state) => ({
        productIds: state.status === 'held' ? state.items.map((line) => line.productId) : [],
        command: () => ({ type: 'CommitStock', data: { orderId } }),
      }));
    },
  };
}

/** The stock rows a reservation command needs locked, and the command made once they are. */
interface ReservationPlan {
  readonly productIds: readonly string[];
  readonly command: (records: ReadonlyMap<string, StockRecord>) => ReservationCommand;
}

/** The lines whose units an event moves: every line but those of a refused reservation, which holds nothing. */
function linesMoved(event: ReservationEvent): readonly StockLine[] {
  return event.eventType === 'InventoryReserved' && event.payload.status !== 'SUCCESS' ? [] : event.payload.items;
}

function availableOf(records: ReadonlyMap<string, StockRecord>): Map<string, number> {
  return new Map([...records].map(([productId, record]) => [productId, record.state.available]));
}

function isReservationEvent(event: { readonly aggregateType: string }): event is ReservationEvent {
  return event.aggregateType === 'StockReservation';
}
