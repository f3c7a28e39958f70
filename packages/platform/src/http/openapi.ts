import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Route } from './route.js';

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
    registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  }
  for (const route of routes) registry.registerPath(route.openapi);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { ...info } });
}
