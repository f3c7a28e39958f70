import { BadRequestError } from '@msa/platform';
import { z } from 'zod';
import type { ListingPosition, ListingSort } from '../../ports.js';

/** The cursor's content, by order: the sort key's shape differs between them. */
const Position = z.discriminatedUnion('s', [
  z.strictObject({ s: z.literal('name'), k: z.tuple([z.string()]), id: z.uuid() }),
  z.strictObject({ s: z.enum(['price', '-price']), k: z.tuple([z.string(), z.int().nonnegative()]), id: z.uuid() }),
]);

/**
 * The opaque `cursor` of the next page: base64url of the last product's sort key, its id and the
 * order they belong to. Clients pass it back unchanged; its content is not part of the API.
 */
export function encodeCursor({ sort, key, productId }: ListingPosition): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key, id: productId })).toString('base64url');
}

/**
 * The position a cursor holds, for a listing in `sort`.
 *
 * @throws BadRequestError naming `query.cursor` when it is not one this API made, or was made for another order.
 */
export function decodeCursor(cursor: string, sort: ListingSort): ListingPosition {
  const position = Position.safeParse(parseJson(Buffer.from(cursor, 'base64url').toString('utf8')));
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !position.success) throw badCursor('is not a cursor this listing returned');
  if (position.data.s !== sort) throw badCursor(`belongs to sort=${position.data.s}, not sort=${sort}; start again without it`);
  return { sort, key: position.data.k, productId: position.data.id };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function badCursor(message: string): BadRequestError {
  return new BadRequestError(`invalid query.cursor: the cursor ${message}`, { errors: [{ field: 'query.cursor', message }] });
}
