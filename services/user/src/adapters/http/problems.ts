import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  type ErrorMapper,
  type ProblemError,
  UnprocessableError,
} from '@msa/platform';
import {
  EmailAlreadyRegistered,
  type FieldRejection,
  InvalidProfile,
  NothingToUpdate,
  UserAlreadyRegistered,
  UserNotFound,
  WeakPassword,
} from '../../domain/errors.js';

function bodyFields(fields: readonly FieldRejection[]) {
  return fields.map(({ field, message }) => ({ field: `body.${field}`, message }));
}

/**
 * The one place the user domain's rejections become HTTP problems: malformed input is a 400, a
 * password the policy refuses a 422, a taken address or a registered stream a 409, a missing user a
 * 404 (a concurrent change is the kit's 409).
 */
export const mapUserError: ErrorMapper = (error): ProblemError | undefined => {
  if (error instanceof InvalidProfile) return new BadRequestError(error.message, { errors: bodyFields(error.fields) });
  if (error instanceof NothingToUpdate) {
    return new BadRequestError(error.message, { errors: [{ field: 'body', message: error.message }] });
  }
  if (error instanceof WeakPassword) return new UnprocessableError(error.message, { errors: bodyFields(error.fields) });
  if (error instanceof EmailAlreadyRegistered) {
    return new ConflictError(error.message, { errors: [{ field: 'body.email', message: 'is already registered' }] });
  }
  if (error instanceof UserAlreadyRegistered) return new ConflictError(error.message);
  if (error instanceof UserNotFound) return new NotFoundError(error.message);
  return undefined;
};
