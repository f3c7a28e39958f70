import type { Collection, Filter } from 'mongodb';
import { z } from 'zod';
import type { HistoryDocument } from './history.js';

/** A page of one user's notifications, newest first, and where the next page starts. */
export interface HistoryPage {
  readonly items: readonly HistoryDocument[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/** The history as the routes read it. */
export interface NotificationHistory {
  /** Up to `limit` of the user's notifications, newest first, after `cursor` when given. */
  page(userId: string, limit: number, cursor?: string): Promise<HistoryPage>;
}

/** Where a page ended: the last item's request time and id, since two may share a time. */
interface Position {
  readonly requestedAt: Date;
  readonly id: string;
}

/** What a cursor holds: the request time and the id. */
const cursorShape = z.tuple([z.iso.datetime(), z.uuid()]);

/** An opaque cursor for the position after `document`. */
export function cursorAfter(document: Pick<HistoryDocument, 'requestedAt' | '_id'>): string {
  return Buffer.from(JSON.stringify([document.requestedAt.toISOString(), document._id])).toString('base64url');
}

/** The position a cursor names, or undefined for one this service did not make. */
export function positionOf(cursor: string): Position | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    return undefined;
  }
  const position = cursorShape.safeParse(parsed);
  return position.success ? { requestedAt: new Date(position.data[0]), id: position.data[1] } : undefined;
}

/** The history queries on the MongoDB collection. */
export function historyQueries(history: Collection<HistoryDocument>): NotificationHistory {
  return {
    async page(userId, limit, cursor) {
      const position = cursor === undefined ? undefined : positionOf(cursor);
      const filter: Filter<HistoryDocument> =
        position === undefined
          ? { userId }
          : {
              userId,
              $or: [{ requestedAt: { $lt: position.requestedAt } }, { requestedAt: position.requestedAt, _id: { $lt: position.id } }],
            };
      // One more than asked, to know whether another page follows.
      const found = await history.find(filter).sort({ requestedAt: -1, _id: -1 }).limit(limit + 1).toArray();
      const items = found.slice(0, limit);
      const last = items.at(-1);
      return { items, ...(found.length > limit && last !== undefined ? { nextCursor: cursorAfter(last) } : {}) };
    },
  };
}
