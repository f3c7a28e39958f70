import { searchWords } from '../../../src/adapters/mongo/search-words.js';
import { detailKey, listingKey } from '../../../src/adapters/cache/cache-keys.js';
import type { ListingQuery } from '../../../src/ports.js';

const productId = '6f1c2b7e-1d2a-4c3b-9a8e-2f1e0d9c8b7a';
const categoryId = '0b6f8a8e-6a4e-4f0e-9f51-7d1c3a2b9e10';

const query = (overrides: Partial<ListingQuery> = {}): ListingQuery => ({ categoryId, words: searchWords('steel kettle'), sort: 'price', limit: 20, ...overrides });

describe('Catalog cache keys', () => {
  it('given a product id, when keyed for its detail, then the key is the id', () => {
    expect(detailKey(productId)).toBe(productId);
  });

  it('given the same words in another order and case, when keyed, then both queries share one entry', () => {
    expect(listingKey(query({ words: searchWords('Kettle  STEEL') }))).toBe(listingKey(query({ words: searchWords('steel, kettle') })));
  });

  it('given a listing query, when keyed, then every part of it is in the key', () => {
    expect(listingKey(query({ after: { sort: 'price', key: ['EUR', 3_990], productId } }))).toBe(
      `c=${categoryId}&w=kettle,steel&s=price&l=20&a=${encodeURIComponent(JSON.stringify(['price', ['EUR', 3_990], productId]))}`,
    );
  });

  it.each<[string, Partial<ListingQuery>]>([
    ['another category', { categoryId: productId }],
    ['no category', { categoryId: undefined }],
    ['another word', { words: ['kettle'] }],
    ['another sort', { sort: '-price' }],
    ['another limit', { limit: 21 }],
    ['a cursor', { after: { sort: 'price', key: ['EUR', 1], productId } }],
  ])('given %s, when keyed, then the key differs', (_, overrides) => {
    expect(listingKey(query(overrides))).not.toBe(listingKey(query()));
  });

  it('given a word holding the separators, when keyed, then it cannot pass for two words or another part', () => {
    expect(listingKey(query({ words: ['a,b'] }))).not.toBe(listingKey(query({ words: ['a', 'b'] })));
    expect(listingKey(query({ words: ['a&s=name'] }))).toContain('w=a%26s%3Dname&s=price');
  });
});
