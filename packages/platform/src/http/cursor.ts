import type { z } from 'zod';
import { BadRequestError } from './errors.js';

/** Encodes a listing's position as an opaque `cursor` and reads one back. */
export interface CursorCodec<T> {
  /** base64url of the position's JSON: clients pass it back unchanged; its content is not part of the API. */
  encode(position: T): string;
  /**
   * The position a cursor holds.
   *
   * @throws BadRequestError naming `query.cursor` when it is not one `encode` made.
   */
  decode(cursor: string): T;
}

/**
 * The opaque cursor of a paged listing, its content checked by `schema` on the way back in, so a
 * cursor a client edited or made up is a 400 naming `query.cursor` rather than a query on a guess.
 */
export function cursorCodec<S extends z.ZodType>(schema: S): CursorCodec<z.output<S>> {
  return {
    encode: (position) => Buffer.from(JSON.stringify(position)).toString('base64url'),
    decode(cursor) {
      const position = schema.safeParse(parseJson(Buffer.from(cursor, 'base64url').toString('utf8')));
      if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !position.success) throw invalidCursor('is not a cursor this listing returned');
      return position.data;
    },
  };
}

/** A 400 naming `query.cursor`: the cursor `message` (a rule of the listing's own, such as its order). */
export function invalidCursor(message: string): BadRequestError {
  return new BadRequestError(`invalid query.cursor: the cursor ${message}`, { errors: [{ field: 'query.cursor', message }] });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
