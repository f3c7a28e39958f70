import { z } from 'zod';
import {
  ConflictError,
  createHttpApp,
  createLogger,
  createPlatformMetrics,
  NotFoundError,
  route,
  type HttpApp,
  type PlatformMetrics,
  type ReadinessCheck,
} from '../../src/index.js';
import { captureLines } from '../telemetry/capture.js';

/** A domain error of the kind an event store throws, which only the service knows how to map. */
export class StaleVersionError extends Error {}

export const USER_ID = '6f1d8a4e-2b1c-4c3e-9a57-0d7c1f6b2a90';

const NewUser = z.object({ email: z.email(), password: z.string().min(8), age: z.number().int().optional() });
const User = z.object({ id: z.uuid(), email: z.email() }).meta({ id: 'User' });

/** An app with a handful of routes that exercise every path through the kit. */
export function testApp(readiness: readonly ReadinessCheck[] = []): {
  http: HttpApp;
  metrics: PlatformMetrics;
  lines: Record<string, unknown>[];
} {
  const { destination, lines } = captureLines();
  const logger = createLogger({ service: 'user', level: 'debug', destination });
  const metrics = createPlatformMetrics();
  const http = createHttpApp({
    service: 'user',
    logger,
    metrics,
    readiness,
    readinessTimeoutMs: 50,
    bodyLimit: '1kb',
    openapi: { title: 'User service', version: '1.0.0' },
    mapError: (error) => (error instanceof StaleVersionError ? new ConflictError('the user changed meanwhile') : undefined),
  });
  http.register(
    route(
      {
        method: 'post',
        path: '/api/users',
        summary: 'Register a user',
        request: { body: NewUser },
        responses: { 201: { description: 'Registered', body: User } },
        problems: [409],
      },
      ({ body, log, reply }) => {
        if (body.email === 'taken@example.com') throw new ConflictError('the email is already registered');
        if (body.email === 'stale@example.com') throw new StaleVersionError('expected version 3, found 4');
        log.info({ email: body.email }, 'registering');
        // The stored record carries more than the response may show; the response schema strips it.
        const stored = { id: USER_ID, email: body.email, passwordHash: 'scrypt$abc' };
        return reply(201, stored, { location: `/api/users/${USER_ID}` });
      },
    ),
    route(
      {
        method: 'get',
        path: '/api/users/:id',
        request: { params: z.object({ id: z.uuid() }) },
        responses: { 200: { description: 'The user', body: User } },
        problems: [404],
      },
      ({ params, reply }) => {
        if (params.id !== USER_ID) throw new NotFoundError(`no user ${params.id}`);
        return reply(200, { id: params.id, email: 'ada@example.com' });
      },
    ),
    route(
      {
        method: 'get',
        path: '/api/users',
        request: { query: z.object({ page: z.coerce.number().int().min(1).default(1) }) },
        responses: { 200: { description: 'A page', body: z.object({ page: z.number() }) } },
      },
      ({ query, reply }) => reply(200, { page: query.page }),
    ),
    route(
      { method: 'delete', path: '/api/users/:id', responses: { 204: { description: 'Deleted' } } },
      ({ reply }) => reply(204),
    ),
    route({ method: 'get', path: '/boom', responses: { 200: { description: 'Never' } } }, () => {
      throw new Error('connect ECONNREFUSED postgres://msa:hunter2@db');
    }),
  );
  return { http, metrics, lines };
}
