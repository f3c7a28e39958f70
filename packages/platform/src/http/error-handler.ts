import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import {
  AggregateAlreadyExists,
  AggregateNotFound,
  FieldsRefused,
  InvalidFields,
  ValueTaken,
  type FieldRejection,
} from '../domain/rejections.js';
import { ConcurrencyError } from '../event-store/errors.js';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ProblemError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  type FieldError,
  type ProblemKind,
} from './errors.js';
import { unavailableDependency } from '../dependencies/unavailable.js';
import { problemFor, sendProblem } from './problem.js';
import { findRequestContext } from './request-context.js';

/**
 * A service's translation of its own domain errors into the kit's taxonomy; `undefined` leaves the
 * error to the kit: the shared domain rejections and a `ConcurrencyError` get their statuses, a
 * dependency that is down a 503, anything else a 500.
 */
export type ErrorMapper = (error: unknown) => ProblemError | undefined;

/** The one place a problem kind becomes a status code. */
const STATUS: Readonly<Record<ProblemKind, number>> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  unprocessable: 422,
  unavailable: 503,
};

/** Options for `problemResponder`. */
export interface ProblemResponderOptions {
  /** The service's own error mapping, consulted before the kit's. */
  readonly mapError?: ErrorMapper | undefined;
  /** Seconds a 503 asks the client to wait, sent as `Retry-After`. */
  readonly retryAfterSeconds: number;
}

/** The final handler for requests no route took: a 404 problem. */
export const unmatchedRoute: RequestHandler = (req) => {
  throw new NotFoundError(`no route for ${req.method} ${req.path}`);
};

/**
 * Turns every error into an RFC 9457 response. Problem errors show their detail; a dependency that is
 * down (a refused connection, a server shutting down) is a 503 naming it, with `Retry-After`, since
 * the same request succeeds once it is back; anything else is logged in full and answered with a bare
 * 500 that says nothing about the internals.
 */
export function problemResponder(
  logger: Logger,
  { mapError = () => undefined, retryAfterSeconds }: ProblemResponderOptions,
): ErrorRequestHandler {
  const http = logger.child({ component: 'http' });
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const log = findRequestContext(req)?.log ?? http;
    const problem =
      error instanceof ProblemError ? error : (fromBodyParser(error) ?? mapError(error) ?? fromRejection(error) ?? fromConcurrency(error) ?? fromDependency(error));
    if (problem === undefined) {
      log.error({ err: error }, 'request failed unexpectedly');
      sendProblem(res, problemFor(req, 500));
      return;
    }
    const status = STATUS[problem.kind];
    if (problem instanceof ServiceUnavailableError) {
      log.warn({ err: problem.cause ?? problem, status, dependency: problem.dependency }, 'dependency unavailable');
    } else {
      log.info({ status, problem: problem.kind, detail: problem.message }, 'request refused');
    }
    const body = problemFor(req, status, {
      type: problem.type,
      detail: problem.message,
      ...(problem.errors.length > 0 ? { errors: [...problem.errors] } : {}),
      ...(problem instanceof ServiceUnavailableError ? { dependency: problem.dependency } : {}),
    });
    sendProblem(res, body, headersFor(problem, retryAfterSeconds));
  };
}

function headersFor(problem: ProblemError, retryAfterSeconds: number): Record<string, string> {
  if (problem instanceof UnauthorizedError) return { 'WWW-Authenticate': problem.challenge };
  if (problem instanceof ServiceUnavailableError) return { 'Retry-After': String(retryAfterSeconds) };
  return {};
}

/**
 * The rejections every aggregate shares, answered alike for every service: the message is the
 * domain's own and safe to show; refused fields are named from the request's root, as the kit's
 * own validation names them.
 */
function fromRejection(error: unknown): ProblemError | undefined {
  if (error instanceof AggregateNotFound) return new NotFoundError(error.message);
  if (error instanceof AggregateAlreadyExists) return new ConflictError(error.message);
  if (error instanceof InvalidFields) return new BadRequestError(error.message, { errors: bodyFields(error.fields) });
  if (error instanceof FieldsRefused) return new UnprocessableError(error.message, { errors: bodyFields(error.fields) });
  if (error instanceof ValueTaken) return new ConflictError(error.message, { errors: bodyFields([{ field: error.field, message: error.reason }]) });
  return undefined;
}

function bodyFields(fields: readonly FieldRejection[]): FieldError[] {
  return fields.map(({ field, message }) => ({ field: field === undefined ? 'body' : `body.${field}`, message }));
}

/**
 * A conflict the command handler's retries could not absorb: the client may send the request again.
 * The stream id and versions stay in the log; a service that wants its own words maps it first.
 */
function fromConcurrency(error: unknown): ConflictError | undefined {
  if (!(error instanceof ConcurrencyError)) return undefined;
  return new ConflictError('the resource was changed by another request meanwhile; try again');
}

/** A dependency that is down becomes a 503; the error itself is only logged, never sent. */
function fromDependency(error: unknown): ServiceUnavailableError | undefined {
  const unavailable = unavailableDependency(error);
  if (unavailable === undefined) return undefined;
  const { dependency } = unavailable;
  return new ServiceUnavailableError(`${dependency} is unavailable; retry later`, { dependency, cause: error });
}

/** The JSON body parser signals its failures with a `type` string; these are the client's fault. */
function fromBodyParser(error: unknown): ProblemError | undefined {
  if (!(error instanceof Error) || !('type' in error) || typeof error.type !== 'string') return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return new BadRequestError('the request body is not valid JSON', {
        errors: [{ field: 'body', message: 'malformed JSON' }],
      });
    case 'entity.too.large':
      return new PayloadTooLargeError('the request body is larger than this service accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('the request body encoding or charset is not supported');
    default:
      return 'status' in error && error.status === 400
        ? new BadRequestError('the request body could not be read')
        : undefined;
  }
}
