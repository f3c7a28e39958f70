import { z } from 'zod';
import { BadRequestError, cursorCodec, invalidCursor } from '../../src/index.js';

const codec = cursorCodec(z.strictObject({ at: z.iso.datetime(), id: z.uuid() }));
const position = { at: '2025-03-01T09:30:00.000Z', id: '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a' };

function rejection(run: () => unknown): BadRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('the cursor was accepted');
}

describe('cursorCodec', () => {
  it('given a position, when encoded and decoded, then it comes back unchanged from an opaque base64url token', () => {
    const cursor = codec.encode(position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec.decode(cursor)).toEqual(position);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{"at":').toString('base64url')],
    ['of another shape', Buffer.from(JSON.stringify({ ...position, extra: 1 })).toString('base64url')],
  ])('given a cursor %s, when decoded, then 400 names query.cursor', (_, cursor) => {
    const error = rejection(() => codec.decode(cursor));

    expect(error.errors).toEqual([{ field: 'query.cursor', message: 'is not a cursor this listing returned' }]);
  });

  it('given a rule of the listing’s own, when invalidCursor is thrown for it, then 400 names query.cursor with that rule', () => {
    expect(invalidCursor('belongs to another user').errors).toEqual([{ field: 'query.cursor', message: 'belongs to another user' }]);
  });
});
