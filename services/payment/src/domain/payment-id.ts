import { v5 as uuidv5 } from 'uuid';

/** The namespace of payment ids (a fixed random UUID): ids of other kinds never collide with them. */
const PAYMENT_NAMESPACE = '9b0d6c1e-4f3a-4e27-8a5b-61c2d7e9f403';

/**
 * The id of the payment for `orderId`: a name-based UUID, so every delivery of an order's
 * confirmation finds the same payment stream, and an order is charged on one stream at most.
 */
export function paymentIdFor(orderId: string): string {
  return uuidv5(orderId, PAYMENT_NAMESPACE);
}
