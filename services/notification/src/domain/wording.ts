import { type Money, minorUnitDigits, type OrderCancellationReason, type PaymentMethod } from '@msa/contracts';

/**
 * An amount as people read it, with its currency's symbol and minor-unit digits: `₩91,800`,
 * `$12.50`. English grouping, as every template is written in English.
 */
export function formatAmount({ amountMinor, currency }: Money): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: digits }).format(
    amountMinor / 10 ** digits,
  );
}

/** Why an order was cancelled, in the words a customer reads. */
export const cancellationReasonWords: Readonly<Record<OrderCancellationReason, string>> = {
  INSUFFICIENT_STOCK: 'some items are out of stock',
  PAYMENT_FAILED: 'the payment did not go through',
  CUSTOMER_REQUEST: 'you asked us to cancel it',
  RESERVATION_TIMEOUT: 'we could not set your items aside in time',
  PAYMENT_TIMEOUT: 'the payment did not complete in time',
};

/** How a customer paid, in the words a receipt uses. */
export const paymentMethodWords: Readonly<Record<PaymentMethod, string>> = {
  CARD: 'card',
  BANK_TRANSFER: 'bank transfer',
  WALLET: 'wallet',
};
