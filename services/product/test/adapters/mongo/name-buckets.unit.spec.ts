import { NAME_BUCKETS, nameBucketOf, nameBucketsFrom } from '../../../src/adapters/mongo/name-buckets.js';
import { nameKey } from '../../../src/adapters/mongo/search-words.js';

/** Bytewise UTF-8 order, as FerretDB and MongoDB compare strings without a collation. */
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('Name buckets', () => {
  it('given names of every kind, when bucketed, then sorting by bucket in walk order never contradicts the name order', () => {
    const keys = ['', ' kettle', '!pan', '0 wok', '10 mugs', '9', ':x', '@home', '_under', '`tick', 'a', 'apple', 'zz', '{brace', 'ø20', 'æble', '주전자', '😀 mug']
      .map(nameKey)
      .sort(utf8Order);
    const walked = [...keys].sort((a, b) => NAME_BUCKETS.indexOf(nameBucketOf(a)) - NAME_BUCKETS.indexOf(nameBucketOf(b)));

    expect(walked).toEqual(keys);
  });

  it('given each key, when bucketed, then its bucket is one the walk visits', () => {
    for (const key of ['', ' ', '5', '=', 'q', '~', 'é', '주']) expect(NAME_BUCKETS).toContain(nameBucketOf(nameKey(key)));
  });

  it('given a letter, a digit and other characters, when bucketed, then letters and digits are buckets of their own and the rest fall between', () => {
    expect(['kettle', '7 cups', ' pan', '[x]', 'ø'].map(nameBucketOf)).toEqual(['k', '7', '<0', '9<a', '>z']);
  });

  it('given no cursor, when the walk starts, then it visits every bucket; given a cursor, then from the cursor’s bucket on', () => {
    expect(nameBucketsFrom(undefined)).toEqual(NAME_BUCKETS);
    expect(nameBucketsFrom('wok 3')).toEqual(['w', 'x', 'y', 'z', '>z']);
    expect(new Set(NAME_BUCKETS).size).toBe(NAME_BUCKETS.length);
  });
});
