import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { principalOf, type AuthMiddleware, type Principal } from './auth/principal.js';
import { BadRequestError, UnsupportedMediaTypeError, type FieldError } from './errors.js';
import { describeRoute } from './openapi.js';
import { requestContextOf } from './request-context.js';

/** HTTP methods routes are declared with. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A documented success outcome of a route. */
export interface ResponseSpec {
  readonly description: string;
  /** The JSON body's schema. Replies are parsed through it, so fields it does not declare never leave. */
  readonly body?: z.ZodType;
}

/**
 * Problem statuses a route may document beyond the ones the kit adds (400, 401 and 403 when guarded,
 * 500, 503); 401 for an unguarded route that checks credentials of its own, as a login does.
 */
export type ProblemStatus = 401 | 404 | 409 | 413 | 415 | 422;

/** The media types a route with a body schema accepts. */
const JSON_TYPES = ['application/json', 'application/*+json'];

/** A route spec with its type parameters at their bounds, for code that handles any route. */
export type AnyRouteSpec = RouteSpec<
  z.ZodObject | undefined,
  z.ZodObject | undefined,
  z.ZodType | undefined,
  Readonly<Record<number, ResponseSpec>>,
  AuthMiddleware | undefined
>;

/** A route's declaration: its request and response schemas drive validation and the OpenAPI document. */
export interface RouteSpec<
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
  R extends Readonly<Record<number, ResponseSpec>>,
  A extends AuthMiddleware | undefined,
> {
  readonly method: HttpMethod;
  /** An express path with `:name` parameters, e.g. `/api/users/:id`. */
  readonly path: string;
  readonly summary?: string;
  readonly description?: string;
  readonly operationId?: string;
  readonly tags?: readonly string[];
  /** Params and query arrive as strings: use `z.coerce` for numbers. */
  readonly request?: { readonly params?: P; readonly query?: Q; readonly body?: B };
  /** Success responses by status. */
  readonly responses: R;
  /** Further problem statuses the route can answer with, for the document. */
  readonly problems?: readonly ProblemStatus[];
  /** A `requireAuth` guard; the handler then receives the verified `principal`. */
  readonly auth?: A;
}

/**
 * Where and when a command the request carries comes from, ready for a command handler: the request
 * id is both the flow's correlation id and the command's cause, and `now` is the app's clock.
 */
export interface RequestCommandContext {
  readonly correlationId: string;
  readonly causationId: string;
  readonly now: Date;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: validated input, the principal if guarded, `reply`, and the plumbing. */
export interface RouteInput<P, Q, B, A, R> {
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly body: Parsed<B>;
  readonly principal: A extends AuthMiddleware ? Principal : undefined;
  /** Builds the handler's answer: a declared status, with a body where that status has a schema. */
  readonly reply: Responder<R>;
  /** The context of the command the handler sends, stamped on its events. */
  readonly command: RequestCommandContext;
  /** The request's child logger, carrying `requestId`; built when first read, so read it where you log. */
  readonly log: Logger;
  readonly requestId: string;
  readonly req: Request;
  readonly res: Response;
}

type Headers = Readonly<Record<string, string>>;
/** The kit only reads a reply body, so readonly data (a domain type's `readonly Role[]`) is welcome. */
type ReadonlyDeep<T> = T extends readonly (infer U)[]
  ? readonly ReadonlyDeep<U>[]
  : T extends Date
    ? T
    : T extends object
      ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> }
      : T;
type ReplyArgs<T> = T extends { readonly body: infer S extends z.ZodType }
  ? [body: ReadonlyDeep<z.input<S>>, headers?: Headers]
  : [body?: undefined, headers?: Headers];

/**
 * `reply(201, user, { location })`. A function rather than a returned object literal because only a
 * call keeps `201` a literal the compiler can check against the declared statuses.
 */
export type Responder<R> = <S extends keyof R & number>(status: S, ...args: ReplyArgs<R[S]>) => Reply;

/** A handler's answer, made by `reply`. */
export class Reply {
  /** @internal made only by a route's `reply` */
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
  ) {}
}

/** A declared route, ready for `HttpApp.register`. */
export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  readonly auth: AuthMiddleware | undefined;
  readonly handle: RequestHandler;
  readonly openapi: RouteConfig;
}

/**
 * Declares a route. Params, query and body are validated before the handler runs, every failing field
 * is reported at once as a 400 naming it (`body.email`), and the same schemas document the route in
 * the OpenAPI document.
 */
export function route<
  R extends Readonly<Record<number, ResponseSpec>>,
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  A extends AuthMiddleware | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B, R, A>,
  handler: (input: RouteInput<P, Q, B, A, R>) => Promise<Reply> | Reply,
): Route {
  const responses: Readonly<Record<number, ResponseSpec>> = spec.responses;
  const handle: RequestHandler = async (req, res) => {
    const requestContext = requestContextOf(req);
    const { requestId, clock } = requestContext;
    const parsed = parseRequest(spec.request ?? {}, req);
    const principal = spec.auth === undefined ? undefined : principalOf(req);
    const reply = (status: number, body?: unknown, headers: Headers = {}) => new Reply(status, body, headers);
    // A request starts the flow: nothing upstream of it has an id the events could carry instead.
    const command: RequestCommandContext = { correlationId: requestId, causationId: requestId, now: clock() };
    // The input's conditional types cannot be evaluated for generic parameters; its parts were just
    // built to match them.
    // `log` stays a getter, so a handler that logs nothing does not build the request's child logger.
    const input = {
      ...parsed,
      principal,
      reply,
      command,
      requestId,
      req,
      res,
      get log() {
        return requestContext.log;
      },
    } as unknown as RouteInput<P, Q, B, A, R>;
    sendReply(res, responses, await handler(input));
  };
  return { method: spec.method, path: spec.path, auth: spec.auth, handle, openapi: describeRoute(spec) };
}

interface RequestSchemas {
  readonly params?: z.ZodType | undefined;
  readonly query?: z.ZodType | undefined;
  readonly body?: z.ZodType | undefined;
}

function parseRequest(schemas: RequestSchemas, req: Request): { params: unknown; query: unknown; body: unknown } {
  // An empty body has no media type to judge; it fails the body schema instead, naming `body`.
  if (schemas.body !== undefined && req.get('content-length') !== '0' && req.is(JSON_TYPES) === false) {
    throw new UnsupportedMediaTypeError('the request body must be application/json');
  }
  const errors: FieldError[] = [];
  const parse = (location: string, schema: z.ZodType | undefined, value: unknown): unknown => {
    if (schema === undefined) return undefined;
    const result = schema.safeParse(value, { error: requiredWhenAbsent });
    if (result.success) return result.data;
    for (const { path, message } of result.error.issues) errors.push({ field: fieldOf(location, path), message });
    return undefined;
  };
  const body: unknown = req.body;
  const parsed = {
    params: parse('params', schemas.params, req.params),
    query: parse('query', schemas.query, req.query),
    body: parse('body', schemas.body, body),
  };
  if (errors.length > 0) {
    throw new BadRequestError(`invalid ${errors.map((error) => error.field).join(', ')}`, { errors });
  }
  return parsed;
}

function requiredWhenAbsent(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined;
}

/** `body` + `['items', 0, 'sku']` → `body.items[0].sku`. */
function fieldOf(location: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (field, segment) => (typeof segment === 'number' ? `${field}[${segment}]` : `${field}.${String(segment)}`),
    location,
  );
}

function sendReply(res: Response, responses: Readonly<Record<number, ResponseSpec>>, reply: Reply): void {
  const spec = responses[reply.status];
  if (spec === undefined) {
    throw new Error(`the handler replied ${reply.status}, which the route does not declare`);
  }
  res.set(reply.headers);
  if (spec.body === undefined) {
    res.status(reply.status).end();
    return;
  }
  const body = spec.body.safeParse(reply.body);
  if (!body.success) {
    throw new Error(`the ${reply.status} reply does not match its schema:\n${z.prettifyError(body.error)}`);
  }
  res.status(reply.status).json(body.data);
}
