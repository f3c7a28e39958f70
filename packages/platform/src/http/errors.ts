/** A field an error is about, named from the request's root: `body.email`, `query.page`, `params.id`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** Options every problem error accepts. */
export interface ProblemErrorOptions {
  /** The fields at fault, reported in the problem's `errors` extension. */
  readonly errors?: readonly FieldError[];
  /** A URI reference identifying the problem type for clients; `about:blank` when omitted. */
  readonly type?: string;
  readonly cause?: unknown;
}

/**
 * The kinds of failure a request can meet. Adapters throw the matching error class; only the HTTP kit
 * decides which status each kind becomes, so a status code never leaks into domain-facing code.
 */
export type ProblemKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'unavailable';

/**
 * An error whose message is safe to show the client: it becomes the problem's `detail`. Anything that
 * is not a `ProblemError` (after the service's `mapError`) is reported as a bare 500.
 */
export abstract class ProblemError extends Error {
  abstract readonly kind: ProblemKind;
  readonly errors: readonly FieldError[];
  readonly type: string;

  constructor(detail: string, { errors = [], type = 'about:blank', cause }: ProblemErrorOptions = {}) {
    super(detail, cause === undefined ? undefined : { cause });
    this.errors = errors;
    this.type = type;
  }
}

/** The request is malformed or fails its schema; `errors` names the fields. */
export class BadRequestError extends ProblemError {
  override readonly name = 'BadRequestError';
  readonly kind = 'bad-request';
}

/** Options for `UnauthorizedError`. */
export interface UnauthorizedErrorOptions extends ProblemErrorOptions {
  /** The `WWW-Authenticate` challenge sent with the response. @default 'Bearer' */
  readonly challenge?: string;
}

/** No credentials, or credentials that do not verify. */
export class UnauthorizedError extends ProblemError {
  override readonly name = 'UnauthorizedError';
  readonly kind = 'unauthorized';
  readonly challenge: string;

  constructor(detail: string, { challenge = 'Bearer', ...options }: UnauthorizedErrorOptions = {}) {
    super(detail, options);
    this.challenge = challenge;
  }
}

/** Verified credentials that do not grant this action. */
export class ForbiddenError extends ProblemError {
  override readonly name = 'ForbiddenError';
  readonly kind = 'forbidden';
}

/** The addressed resource does not exist (or is not visible to the caller). */
export class NotFoundError extends ProblemError {
  override readonly name = 'NotFoundError';
  readonly kind = 'not-found';
}

/** The request conflicts with current state: a duplicate, or a stale expected version. */
export class ConflictError extends ProblemError {
  override readonly name = 'ConflictError';
  readonly kind = 'conflict';
}

/** The request body exceeds the configured limit. */
export class PayloadTooLargeError extends ProblemError {
  override readonly name = 'PayloadTooLargeError';
  readonly kind = 'payload-too-large';
}

/** The request body is not in a media type the route accepts. */
export class UnsupportedMediaTypeError extends ProblemError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly kind = 'unsupported-media-type';
}

/** Well-formed and valid, but a business rule rejects it. */
export class UnprocessableError extends ProblemError {
  override readonly name = 'UnprocessableError';
  readonly kind = 'unprocessable';
}

/** Options for `ServiceUnavailableError`. */
export interface ServiceUnavailableErrorOptions extends ProblemErrorOptions {
  /** The dependency that is down, named in the problem's `dependency` extension: `postgres`, `kafka`. */
  readonly dependency: string;
}

/** A dependency the request needs is down for now; the client may retry after a while. */
export class ServiceUnavailableError extends ProblemError {
  override readonly name = 'ServiceUnavailableError';
  readonly kind = 'unavailable';
  readonly dependency: string;

  constructor(detail: string, { dependency, ...options }: ServiceUnavailableErrorOptions) {
    super(detail, options);
    this.dependency = dependency;
  }
}
