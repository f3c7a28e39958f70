import { z } from 'zod';
import { route } from '../../src/index.js';

// These declarations are checked by the compiler (tsc -b builds the tests); the runtime expectations
// only confirm that each one still produces a route.
describe('route typing', () => {
  const Created = z.object({ id: z.string() });

  it('given declared statuses, when a handler replies outside them or with the wrong body, then it does not compile', () => {
    const routes = [
      route(
        { method: 'post', path: '/a', responses: { 201: { description: 'Created', body: Created } } },
        // @ts-expect-error 200 is not a declared status
        ({ reply }) => reply(200, { id: 'x' }),
      ),
      route(
        { method: 'post', path: '/b', responses: { 201: { description: 'Created', body: Created } } },
        // @ts-expect-error the body must match the 201 schema
        ({ reply }) => reply(201, { id: 1 }),
      ),
      route(
        { method: 'delete', path: '/c', responses: { 204: { description: 'Deleted' } } },
        ({ reply }) => reply(204, undefined, { 'x-deleted': 'yes' }),
      ),
    ];

    expect(routes.map((declared) => declared.path)).toEqual(['/a', '/b', '/c']);
  });

  it('given request schemas, when the handler reads its input, then it sees their parsed types', () => {
    const declared = route(
      {
        method: 'get',
        path: '/items/:id',
        request: { params: z.object({ id: z.uuid() }), query: z.object({ limit: z.coerce.number().default(20) }) },
        responses: { 200: { description: 'An item', body: z.object({ id: z.string(), limit: z.number() }) } },
      },
      ({ params, query, body, principal, reply }) => {
        const [id, limit]: [string, number, undefined, undefined] = [params.id, query.limit, body, principal];
        return reply(200, { id, limit });
      },
    );

    expect(declared.openapi.path).toBe('/items/{id}');
  });
});
