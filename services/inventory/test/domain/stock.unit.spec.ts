import { applyReservation, initialStockState, type StockState } from '../../src/domain/stock.js';
import { MAX_UNITS, type StockCommand } from '../../src/domain/stock-decider.js';
import { OversoldStock, RestockTooLarge } from '../../src/domain/errors.js';
import type { ReservationEvent } from '../../src/domain/reservation.js';
import { depletedDraft, kettle, orderId, receivedDraft, stock, teapot } from './fixtures.js';

function receive(quantity: number, note?: string): StockCommand {
  return { type: 'ReceiveStock', data: { productId: kettle, quantity, ...(note === undefined ? {} : { note }) } };
}

function hold(quantity: number, lowWaterMark = 0): StockCommand {
  return { type: 'HoldStock', data: { productId: kettle, quantity, lowWaterMark } };
}

const level = (fields: Partial<StockState>): StockState => ({ ...initialStockState(), ...fields });

describe('Stock: restock', () => {
  it('given an opened record, when units arrive, then StockReceived says how many and the available after', () => {
    stock.given([]).when(receive(10)).then([receivedDraft(10, 10)]);
  });

  it('given units already there, when more arrive with a note, then the note is recorded with them', () => {
    stock
      .given([receivedDraft(10, 10)])
      .when(receive(5, 'delivery 17'))
      .then([{ eventType: 'StockReceived', payload: { productId: kettle, quantity: 5, available: 15, note: 'delivery 17' } }]);
  });

  it('given units near the counting limit, when a restock would pass it, then the quantity is refused', () => {
    stock
      .given([receivedDraft(MAX_UNITS - 1, MAX_UNITS - 1)])
      .when(receive(2))
      .thenThrows(RestockTooLarge, { productId: kettle, fields: [expect.objectContaining({ field: 'quantity' })] });
  });
});

describe('Stock: hold', () => {
  it('given 10 available, when 4 are held with the mark at 0, then no alert', () => {
    stock.given([receivedDraft(10, 10)]).when(hold(4)).then([]);
  });

  it('given 10 available, when all 10 are held with the mark at 0, then StockDepleted at 0', () => {
    stock.given([receivedDraft(10, 10)]).when(hold(10)).then([depletedDraft(0, 0)]);
  });

  it('given 10 available and a mark of 3, when 7 are held, then the mark is reached: StockDepleted at 3', () => {
    stock.given([receivedDraft(10, 10)]).when(hold(7, 3)).then([depletedDraft(3, 3)]);
  });

  it('given an alert already raised, when more units are held, then no second alert', () => {
    stock.given([receivedDraft(10, 10), depletedDraft(3, 3)]).when(hold(1, 3)).then([]);
  });

  it('given an alert raised and a restock above the mark, when the mark is reached again, then a new alert', () => {
    stock.given([receivedDraft(10, 10), depletedDraft(3, 3), receivedDraft(5, 8)]).when(hold(5, 3)).then([depletedDraft(3, 3)]);
  });

  it('given an alert raised and a restock still at the mark, when more are held, then no new alert', () => {
    stock.given([receivedDraft(3, 3), depletedDraft(3, 5), receivedDraft(2, 5)]).when(hold(1, 5)).then([]);
  });

  it('given 2 available, when 3 are held, then it is refused as an oversale', () => {
    stock.given([receivedDraft(2, 2)]).when(hold(3)).thenThrows(OversoldStock, { productId: kettle, requested: 3, available: 2 });
  });
});

describe('Stock: evolve', () => {
  it('given an opened record, then no units and the alert armed', () => {
    stock.given([]).thenState({ available: 0, reserved: 0, sold: 0, received: 0, alertedAt: null });
  });

  it('given restocks, then available and received add up', () => {
    stock.given([receivedDraft(10, 10), receivedDraft(5, 15)]).thenState(level({ available: 15, received: 15 }));
  });

  it('given a depletion alert, then the mark it was raised at and the units then available are kept', () => {
    stock.given([receivedDraft(10, 10), depletedDraft(3, 5)]).thenState(level({ available: 3, received: 10, alertedAt: 5 }));
  });

  it('given holds between restocks, then each restock says the available it left', () => {
    stock.given([receivedDraft(10, 10), depletedDraft(0, 0), receivedDraft(4, 4)]).thenState(level({ available: 4, received: 14 }));
  });
});

describe('Stock: what reservation events do to a product', () => {
  const line = (quantity: number) => [{ productId: kettle, quantity }, { productId: teapot, quantity: 9 }];
  const event = (draft: Pick<ReservationEvent, 'eventType' | 'payload'>): ReservationEvent =>
    ({ ...draft, eventId: orderId, aggregateId: orderId, aggregateType: 'StockReservation', version: 1, schemaVersion: 1 }) as ReservationEvent;

  it('given a hold, then its units move from available to reserved', () => {
    const held = event({ eventType: 'InventoryReserved', payload: { orderId, status: 'SUCCESS', items: line(4) } });

    expect(applyReservation(level({ available: 10, received: 10 }), kettle, held)).toEqual(level({ available: 6, reserved: 4, received: 10 }));
  });

  it('given a refusal, then nothing moves', () => {
    const refusal = event({
      eventType: 'InventoryReserved',
      payload: { orderId, status: 'INSUFFICIENT_STOCK', items: line(4), reason: 'short', shortages: [{ productId: teapot, requested: 9, available: 0 }] },
    });

    expect(applyReservation(level({ available: 10 }), kettle, refusal)).toEqual(level({ available: 10 }));
  });

  it('given a sale, then its units move from reserved to sold', () => {
    const sale = event({ eventType: 'StockCommitted', payload: { orderId, items: line(4) } });

    expect(applyReservation(level({ available: 6, reserved: 4 }), kettle, sale)).toEqual(level({ available: 6, sold: 4 }));
  });

  it('given a release of held units above an alert, then they return to available and the alert is re-armed', () => {
    const release = event({ eventType: 'StockReleased', payload: { orderId, items: line(4), fromSold: false } });

    expect(applyReservation(level({ available: 0, reserved: 4, alertedAt: 0 }), kettle, release)).toEqual(level({ available: 4, alertedAt: null }));
  });

  it('given a release of sold units, then they return from sold', () => {
    const release = event({ eventType: 'StockReleased', payload: { orderId, items: line(4), fromSold: true } });

    expect(applyReservation(level({ available: 1, sold: 4, alertedAt: 5 }), kettle, release)).toEqual(level({ available: 5, alertedAt: 5 }));
  });

  it('given an event without a line for the product, then nothing moves', () => {
    const other = event({ eventType: 'StockReleased', payload: { orderId, items: [{ productId: teapot, quantity: 1 }], fromSold: false } });

    expect(applyReservation(level({ available: 1 }), kettle, other)).toEqual(level({ available: 1 }));
  });
});
