import { cursorCodec, invalidCursor } from '@msa/platform';
import { z } from 'zod';
import type { ListingPosition } from '../../ports.js';

/** The last order's creation time and id, and whose listing it was (`*` for every user's). */
const Position = z.strictObject({ at: z.iso.datetime(), id: z.uuid(), u: z.union([z.uuid(), z.literal('*')]) });

const cursors = cursorCodec(Position);

/** The opaque `cursor` of the next page of `userId`'s listing (every user's when undefined). */
export function encodeCursor({ createdAt, orderId }: ListingPosition, userId: string | undefined): string {
  return cursors.encode({ at: createdAt, id: orderId, u: userId ?? '*' });
}

/**
 * The position a cursor holds, for the listing of `userId`.
 *
 * @throws BadRequestError naming `query.cursor` when it is not one this API made, or was made for another listing.
 */
export function decodeCursor(cursor: string, userId: string | undefined): ListingPosition {
  const position = cursors.decode(cursor);
  if (position.u !== (userId ?? '*')) throw invalidCursor('belongs to another listing; start again without it');
  return { createdAt: position.at, orderId: position.id };
}
