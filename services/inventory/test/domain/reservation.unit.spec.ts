import { NoReservationToSell } from '../../src/domain/errors.js';
import type { ReservationCommand } from '../../src/domain/reservation-decider.js';
import { committed, kettle, lines, orderId, refused, released, releasedNothing, reservation, reserved, teapot } from './fixtures.js';

function reserve(available: Record<string, number>): ReservationCommand {
  return { type: 'ReserveStock', data: { orderId, lines, available: new Map(Object.entries(available)) } };
}

const release: ReservationCommand = { type: 'ReleaseStock', data: { orderId } };
const commit: ReservationCommand = { type: 'CommitStock', data: { orderId } };

describe('StockReservation: reserve', () => {
  it('given no reservation, when every line fits the available units, then every line is reserved', () => {
    reservation.given([]).when(reserve({ [kettle]: 2, [teapot]: 5 })).then([reserved]);
  });

  it('given no reservation, when one line does not fit, then none is reserved and the short product is named', () => {
    reservation.given([]).when(reserve({ [kettle]: 10, [teapot]: 0 })).then([refused]);
  });

  it('given no reservation, when a product has no stock record, then it counts as none available', () => {
    reservation.given([]).when(reserve({ [kettle]: 10 })).then([refused]);
  });

  it('given no reservation, when every line is short, then each shortage says what was asked and what was there', () => {
    reservation
      .given([])
      .when(reserve({ [kettle]: 1 }))
      .then([
        {
          eventType: 'InventoryReserved',
          payload: {
            orderId,
            status: 'INSUFFICIENT_STOCK',
            items: [...lines],
            reason: "not enough stock for 2 of the order's 2 products",
            shortages: [
              { productId: kettle, requested: 2, available: 1 },
              { productId: teapot, requested: 1, available: 0 },
            ],
          },
        },
      ]);
  });

  it('given a held reservation, when the order is reserved again, then nothing more is reserved', () => {
    reservation.given([reserved]).when(reserve({ [kettle]: 100, [teapot]: 100 })).then([]);
  });

  it('given a refused reservation, when the order is reserved again with stock now there, then the refusal stands', () => {
    reservation.given([refused]).when(reserve({ [kettle]: 100, [teapot]: 100 })).then([]);
  });

  it('given a release that came before the reservation, when the order is reserved, then nothing is reserved', () => {
    reservation.given([releasedNothing]).when(reserve({ [kettle]: 100, [teapot]: 100 })).then([]);
  });
});

describe('StockReservation: release', () => {
  it('given a held reservation, when released, then its lines return to available', () => {
    reservation.given([reserved]).when(release).then([released]);
  });

  it('given a sold reservation, when released, then its lines return from sold', () => {
    reservation
      .given([reserved, committed])
      .when(release)
      .then([{ eventType: 'StockReleased', payload: { orderId, items: [...lines], fromSold: true } }]);
  });

  it('given no reservation, when released, then nothing is released and the reservation is closed', () => {
    reservation.given([]).when(release).then([releasedNothing]);
    reservation.given([releasedNothing]).thenState({ status: 'released', items: [], fromSold: false });
  });

  it('given a refused reservation, when released, then nothing is released', () => {
    reservation.given([refused]).when(release).then([releasedNothing]);
  });

  it('given a released reservation, when released again, then it answers again with nothing released', () => {
    reservation.given([reserved, released]).when(release).then([releasedNothing]);
  });

  it('given a release answered twice, when folded, then the state keeps what the first release returned', () => {
    reservation.given([reserved, released, releasedNothing]).thenState({ status: 'released', items: [...lines], fromSold: false });
  });
});

describe('StockReservation: commit', () => {
  it('given a held reservation, when the order completes, then its lines are sold', () => {
    reservation.given([reserved]).when(commit).then([committed]);
  });

  it('given a sold reservation, when the order completes again, then nothing more is sold', () => {
    reservation.given([reserved, committed]).when(commit).then([]);
  });

  it('given a released reservation, when the order completes, then nothing is sold', () => {
    reservation.given([reserved, released]).when(commit).then([]);
  });

  it('given a refused reservation, when the order completes, then nothing is sold', () => {
    reservation.given([refused]).when(commit).then([]);
  });

  it('given no reservation, when the order completes, then it is rejected: nothing was ever reserved', () => {
    reservation.given([]).when(commit).thenThrows(NoReservationToSell, { orderId });
  });
});

describe('StockReservation: evolve', () => {
  it('given no events, then there is no reservation', () => {
    reservation.given([]).thenState({ status: 'none' });
  });

  it('given a success, then the lines are held', () => {
    reservation.given([reserved]).thenState({ status: 'held', items: [...lines] });
  });

  it('given a refusal, then nothing is held and the shortages are kept', () => {
    reservation.given([refused]).thenState({ status: 'refused', items: [...lines], shortages: [{ productId: teapot, requested: 1, available: 0 }] });
  });

  it('given a success and a sale, then the lines are sold', () => {
    reservation.given([reserved, committed]).thenState({ status: 'sold', items: [...lines] });
  });
});
