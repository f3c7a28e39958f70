import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { problemSchema, titleOf } from './problem.js';
import type { AnyRouteSpec, Route } from './route.js';

/** The OpenAPI 3.1 document type the generator produces. */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The `info` block of the document. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/** Builds the OpenAPI 3.1 document from the routes' own zod schemas, so it cannot disagree with them. */
export function buildOpenApiDocument(info: OpenApiInfo, routes: readonly Route[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  if (routes.some((route) => route.auth !== undefined)) {
    const scheme = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } as const;
    registry.registerComponent('securitySchemes', 'bearerAuth', scheme);
  }
  for (const route of routes) registry.registerPath(route.openapi);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { ...info } });
}

const retryAfterHeader = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    required: true,
    schema: { type: 'integer' as const, minimum: 1 },
  },
};

/**
 * A route's OpenAPI operation: its schemas, its success responses, and a problem response for every
 * status the kit can produce for it (400 when it validates input, 415 with a body, 401/403 when
 * guarded, 500 and 503 always: any route may meet a dependency that is down) plus those the route
 * declares. A 503 carries `Retry-After`.
 */
export function describeRoute(spec: AnyRouteSpec): RouteConfig {
  const { params, query, body } = spec.request ?? {};
  const problems = new Set<number>(spec.problems);
  if (params !== undefined || query !== undefined || body !== undefined) problems.add(400);
  if (body !== undefined) problems.add(415);
  if (spec.auth !== undefined) problems.add(401);
  if (spec.auth !== undefined && spec.auth.requiredRoles.length > 0) problems.add(403);
  problems.add(500);
  problems.add(503);

  const responses: RouteConfig['responses'] = {};
  for (const [status, { description, body: schema }] of Object.entries(spec.responses)) {
    responses[status] =
      schema === undefined ? { description } : { description, content: { 'application/json': { schema } } };
  }
  for (const status of [...problems].sort((a, b) => a - b)) {
    const content = { 'application/problem+json': { schema: problemSchema } };
    responses[status] = { description: titleOf(status), content, ...(status === 503 ? { headers: retryAfterHeader } : {}) };
  }
  return {
    method: spec.method,
    path: spec.path.replace(/:(\w+)/g, '{$1}'),
    ...(spec.summary === undefined ? {} : { summary: spec.summary }),
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.operationId === undefined ? {} : { operationId: spec.operationId }),
    ...(spec.tags === undefined ? {} : { tags: [...spec.tags] }),
    request: {
      ...(params === undefined ? {} : { params }),
      ...(query === undefined ? {} : { query }),
      ...(body === undefined
        ? {}
        : { body: { required: true, content: { 'application/json': { schema: body } } } }),
    },
    responses,
    ...(spec.auth === undefined ? {} : { security: [{ bearerAuth: [] }] }),
  };
}
