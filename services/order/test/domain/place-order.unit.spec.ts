import { deciderSpec } from '@msa/platform/testing';
import { OrderAlreadyExists, OrderNotFound } from '../../src/domain/errors.js';
import { orderDecider } from '../../src/domain/order-decider.js';
import { created, orderId, place } from './fixtures.js';

const { given } = deciderSpec(orderDecider);

describe('Placing an order', () => {
  it('given no order, when placing one, then OrderCreated carries the priced lines, their total and the payment', () => {
    given([]).when(place).then([created]);
  });

  it('given an order on the stream, when placing it again, then OrderAlreadyExists', () => {
    given([created]).when(place).thenThrows(OrderAlreadyExists, { orderId });
  });

  it.each([
    { type: 'ConfirmOrder', data: { orderId } },
    { type: 'CancelOrder', data: { orderId, reason: 'CUSTOMER_REQUEST' } },
    { type: 'RequestStockRelease', data: { orderId, reason: 'ORDER_CANCELLED' } },
  ] as const)('given no order, when $type, then OrderNotFound', (command) => {
    given([]).when(command).thenThrows(OrderNotFound, { orderId });
  });
});
