import { ConflictError, type ErrorMapper, UnprocessableError } from '@msa/platform';
import { IdempotencyKeyReused, OrderStatusConflict } from '../../domain/errors.js';

/** The order service's rejections the kit's shared ones do not cover: a status conflict (409) and a reused key (422 naming the header). */
export const mapOrderError: ErrorMapper = (error) => {
  if (error instanceof OrderStatusConflict) return new ConflictError(error.message);
  if (error instanceof IdempotencyKeyReused) {
    return new UnprocessableError(error.message, { errors: [{ field: 'headers.idempotency-key', message: 'was sent before with another request' }] });
  }
  return undefined;
};
