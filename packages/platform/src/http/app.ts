import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import express, { Router, type Express } from 'express';
import type { Logger } from 'pino';
import type { PlatformMetrics } from '../telemetry/metrics.js';
import { problemResponder, unmatchedRoute, type ErrorMapper } from './error-handler.js';
import { healthRoutes, type ReadinessCheck } from './health.js';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiInfo } from './openapi.js';
import { markRoute, trackRequests } from './request-context.js';
import type { Route } from './route.js';

/** Options for `createHttpApp`. */
export interface HttpAppOptions {
  /** The service name, reported by `/health/live`. */
  readonly service: string;
  /** The root logger; the kit logs through children of it. */
  readonly logger: Logger;
  readonly metrics: PlatformMetrics;
  /** The document's `info`; its title defaults to the service name. */
  readonly openapi: Omit<OpenApiInfo, 'title'> & { readonly title?: string };
  /** Dependencies `/health/ready` probes. @default [] */
  readonly readiness?: readonly ReadinessCheck[];
  /** Time each readiness check gets. @default 2000 */
  readonly readinessTimeoutMs?: number;
  /** Seconds a 503 (a dependency down, or not ready) asks the client to wait, as `Retry-After`. @default 5 */
  readonly retryAfterSeconds?: number;
  /** Largest accepted JSON body, in bytes or as `100kb`. @default '100kb' */
  readonly bodyLimit?: number | string;
  /** Maps the service's own domain errors onto the kit's taxonomy. */
  readonly mapError?: ErrorMapper;
  /** The time of the commands requests carry, as handlers find it in `command.now`. @default () => new Date() */
  readonly clock?: () => Date;
}

/** An express app with the kit's plumbing in place, waiting for the service's routes. */
export interface HttpApp {
  readonly app: Express;
  /** Adds routes; each method and path may be declared once. */
  register(...routes: readonly Route[]): void;
  /** The OpenAPI document served at `/openapi.json`. */
  openApiDocument(): OpenApiDocument;
  /** Starts an HTTP server once it is listening; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<Server>;
}

/**
 * Creates the service's HTTP app: request ids, server spans, access logs and the duration histogram
 * around every request; JSON bodies up to a limit; `/health/live`, `/health/ready`, `/metrics` and
 * `/openapi.json`; a 404 problem for unknown routes; and RFC 9457 problem responses for every error,
 * a 503 with `Retry-After` when a dependency is down.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const {
    service,
    logger,
    metrics,
    readiness = [],
    readinessTimeoutMs = 2_000,
    retryAfterSeconds = 5,
    bodyLimit = '100kb',
    clock = () => new Date(),
  } = options;
  if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
    throw new RangeError(`retryAfterSeconds must be a whole number of seconds, not ${retryAfterSeconds}`);
  }
  const info: OpenApiInfo = { title: service, ...options.openapi };
  const routes: Route[] = [];
  const declared = new Set<string>();
  let document: OpenApiDocument | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.use(trackRequests(logger, metrics, clock));
  app.use(express.json({ limit: bodyLimit, type: ['application/json', 'application/*+json'] }));
  app.use(healthRoutes({ service, checks: readiness, timeoutMs: readinessTimeoutMs, retryAfterSeconds, logger }));
  app.get('/metrics', markRoute('/metrics'), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/openapi.json', markRoute('/openapi.json'), (_req, res) => {
    document ??= buildOpenApiDocument(info, routes);
    res.json(document);
  });
  const serviceRoutes = Router();
  app.use(serviceRoutes);
  app.use(unmatchedRoute);
  app.use(problemResponder(logger, { mapError: options.mapError, retryAfterSeconds }));

  return {
    app,
    register(...added) {
      for (const route of added) {
        const key = `${route.method.toUpperCase()} ${route.path}`;
        if (declared.has(key)) throw new Error(`route ${key} is declared twice`);
        declared.add(key);
        const guards = route.auth === undefined ? [] : [route.auth];
        serviceRoutes[route.method](route.path, markRoute(route.path), ...guards, route.handle);
        routes.push(route);
      }
      document = undefined;
    },
    openApiDocument() {
      document ??= buildOpenApiDocument(info, routes);
      return document;
    },
    async listen(port, host) {
      const server = createServer(app);
      server.listen(port, host);
      await once(server, 'listening');
      return server;
    },
  };
}
