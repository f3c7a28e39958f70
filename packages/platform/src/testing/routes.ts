import { createHttpApp, type HttpApp } from '../http/app.js';
import type { ErrorMapper } from '../http/error-handler.js';
import type { Route } from '../http/route.js';
import { createLogger } from '../telemetry/logger.js';
import { createPlatformMetrics } from '../telemetry/metrics.js';

/** Options for `routeTestApp`. */
export interface RouteTestAppOptions {
  /** The service's routes, built against fake ports. */
  readonly routes: readonly Route[];
  /** The service's own error mapping, as its app passes it to `createHttpApp`. */
  readonly mapError?: ErrorMapper;
  /** @default 'route-spec' */
  readonly service?: string;
  /** The time of the commands the routes send, fixed when a spec needs it. @default () => new Date() */
  readonly clock?: () => Date;
}

/**
 * A service's routes in the platform's HTTP app, exactly as production serves them (validation,
 * problem+json, auth guards, the OpenAPI document), with a silent logger and metrics of their own.
 * Hand `app` to supertest: no server listens and no port is taken.
 */
export function routeTestApp({ routes, mapError, service = 'route-spec', clock }: RouteTestAppOptions): HttpApp {
  const http = createHttpApp({
    service,
    logger: createLogger({ service, level: 'silent' }),
    metrics: createPlatformMetrics(),
    openapi: { version: '0.0.0' },
    ...(mapError && { mapError }),
    ...(clock && { clock }),
  });
  http.register(...routes);
  return http;
}
