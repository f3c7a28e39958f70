import { randomUUID } from 'node:crypto';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { PlatformMetrics } from '../telemetry/metrics.js';

/** What the kit knows about a request in flight. */
export interface RequestContext {
  /** The caller's `x-request-id` when it is well-formed, otherwise a fresh UUID; echoed in the response. */
  readonly requestId: string;
  /**
   * The root logger's child for this request, carrying `requestId`. Built on first use: a request
   * that logs nothing (the access line below the logger's level) builds none.
   */
  readonly log: Logger;
  /** The app's clock: the time of the commands the request carries. */
  readonly clock: () => Date;
  /** The matched route template, set once routing has chosen one. */
  route: string | undefined;
}

const contexts = new WeakMap<Request, RequestContext>();
/** Accepts ids a proxy or client might send, and nothing that could inject into a log line or header. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** Probes and scrapes arrive every few seconds; their access lines would drown the rest. */
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);
const CLIENT_CLOSED_REQUEST = 499;

/** The kit's context for `req`, or `undefined` if it never passed through `trackRequests`. */
export function findRequestContext(req: Request): RequestContext | undefined {
  return contexts.get(req);
}

/** The kit's context for `req`; present for every request that passed through `createHttpApp`. */
export function requestContextOf(req: Request): RequestContext {
  const found = contexts.get(req);
  if (!found) throw new Error('request did not pass through the HTTP kit');
  return found;
}

/**
 * First middleware of every app: assigns the request id, opens a server span continuing the caller's
 * W3C trace context, and on completion records the access log line, the duration histogram and the
 * span's outcome. The route label is the matched template, or `unmatched`, so paths carrying ids cannot
 * blow up the metric's cardinality.
 */
export function trackRequests(logger: Logger, metrics: PlatformMetrics, clock: () => Date): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.get('x-request-id');
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const path = req.originalUrl.split('?', 1)[0] ?? '/';
    const span = trace.getTracer('@msa/platform').startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: path } },
      parent,
    );
    const traceContext = trace.setSpan(parent, span);
    let log: Logger | undefined;
    const requestContext: RequestContext = {
      requestId,
      clock,
      route: undefined,
      // A child with redaction costs microseconds to build, a measurable share of a cache hit's time.
      get log() {
        log ??= logger.child({ requestId });
        return log;
      },
    };
    contexts.set(req, requestContext);

    res.once('close', () => {
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST;
      const route = requestContext.route ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequestDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ [ATTR_HTTP_ROUTE]: route, [ATTR_HTTP_RESPONSE_STATUS_CODE]: status });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      const level = QUIET_ROUTES.has(route) ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) {
        context.with(traceContext, () => {
          const line = { method: req.method, route, path, status, durationMs: Math.round(seconds * 1000) };
          requestContext.log[level](line, 'request completed');
        });
      }
      span.end();
    });
    context.with(traceContext, next);
  };
}


/** Records the matched route template, first thing on a route, so even a refused request is labelled. */
export function markRoute(template: string): RequestHandler {
  return (req, _res, next) => {
    requestContextOf(req).route = template;
    next();
  };
}
