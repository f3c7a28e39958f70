import { BadRequestError } from '@msa/platform';
import { decodeCursor, encodeCursor } from '../../../src/adapters/http/cursor.js';
import type { ListingPosition } from '../../../src/ports.js';

const productId = '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a';

function rejection(run: () => unknown): BadRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('the cursor was accepted');
}

describe('Listing cursor', () => {
  it.each<ListingPosition>([
    { sort: 'name', key: ['stovetop kettle'], productId },
    { sort: 'price', key: ['EUR', 3_990], productId },
    { sort: '-price', key: ['KRW', 0], productId },
  ])('given a position in $sort order, when encoded and decoded for that order, then it comes back unchanged', (position) => {
    const cursor = encodeCursor(position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, position.sort)).toEqual(position);
  });

  it('given a cursor of the name order, when decoded for the price order, then 400 names query.cursor and the order it belongs to', () => {
    const cursor = encodeCursor({ sort: 'name', key: ['kettle'], productId });

    expect(rejection(() => decodeCursor(cursor, 'price')).errors).toEqual([
      { field: 'query.cursor', message: 'belongs to sort=name, not sort=price; start again without it' },
    ]);
  });

  it.each([
    ['not base64url at all', '!!!'],
    ['base64url of something that is not JSON', Buffer.from('kettle').toString('base64url')],
    ['a name key that is a number', Buffer.from(JSON.stringify({ s: 'name', k: [7], id: productId })).toString('base64url')],
    ['a price key without its amount', Buffer.from(JSON.stringify({ s: 'price', k: ['EUR'], id: productId })).toString('base64url')],
    ['an id that is not a product id', Buffer.from(JSON.stringify({ s: 'name', k: ['a'], id: '1' })).toString('base64url')],
    ['an unknown order', Buffer.from(JSON.stringify({ s: 'sku', k: ['a'], id: productId })).toString('base64url')],
  ])('given %s, when decoded, then 400 names query.cursor', (_, cursor) => {
    expect(rejection(() => decodeCursor(cursor, 'name')).errors).toEqual([
      { field: 'query.cursor', message: 'is not a cursor this listing returned' },
    ]);
  });
});
