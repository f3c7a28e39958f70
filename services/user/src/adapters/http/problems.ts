import { ConflictError, type ErrorMapper, type ProblemError, UnprocessableError } from '@msa/platform';
import { EmailAlreadyRegistered, WeakPassword } from '../../domain/errors.js';

/**
 * The user domain's rejections the kit does not already answer (it maps a missing user to 404, a
 * registered stream to 409, invalid fields to 400 and a concurrent change to 409): a password the
 * policy refuses is a 422, an address another account holds a 409 naming it.
 */
export const mapUserError: ErrorMapper = (error): ProblemError | undefined => {
  if (error instanceof WeakPassword) {
    const errors = error.fields.map(({ field, message }) => ({ field: `body.${field}`, message }));
    return new UnprocessableError(error.message, { errors });
  }
  if (error instanceof EmailAlreadyRegistered) {
    return new ConflictError(error.message, { errors: [{ field: 'body.email', message: 'is already registered' }] });
  }
  return undefined;
};
