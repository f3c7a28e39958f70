import { cursorCodec, invalidCursor } from '@msa/platform';
import { z } from 'zod';
import type { ListingPosition, ListingSort } from '../../ports.js';

/** The cursor's content, by order: the sort key's shape differs between them. */
const Position = z.discriminatedUnion('s', [
  z.strictObject({ s: z.literal('name'), k: z.tuple([z.string()]), id: z.uuid() }),
  z.strictObject({ s: z.enum(['price', '-price']), k: z.tuple([z.string(), z.int().nonnegative()]), id: z.uuid() }),
]);

const cursors = cursorCodec(Position);

/** The opaque `cursor` of the next page: the last product's sort key, its id and the order they belong to. */
export function encodeCursor({ sort, key, productId }: ListingPosition): string {
  // Parsed on the way out too, so a position of the wrong shape fails here rather than in a client's next request.
  return cursors.encode(Position.parse({ s: sort, k: key, id: productId }));
}

/**
 * The position a cursor holds, for a listing in `sort`.
 *
 * @throws BadRequestError naming `query.cursor` when it is not one this API made, or was made for another order.
 */
export function decodeCursor(cursor: string, sort: ListingSort): ListingPosition {
  const position = cursors.decode(cursor);
  if (position.s !== sort) throw invalidCursor(`belongs to sort=${position.s}, not sort=${sort}; start again without it`);
  return { sort, key: position.k, productId: position.id };
}
