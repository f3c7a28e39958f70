import { nameKey, searchWords } from '../../../src/adapters/mongo/search-words.js';

describe('Search words', () => {
  it('given a name and a description, when split, then the distinct words come lower-cased and sorted', () => {
    expect(searchWords('Stovetop Kettle', 'A kettle, enamelled steel; 1.5 l')).toEqual(['1', '5', 'a', 'enamelled', 'kettle', 'l', 'steel', 'stovetop']);
  });

  it('given accented and non-Latin words, when split, then accents fold and other scripts stay words', () => {
    expect(searchWords('Crème brûlée torch', '주전자 Ø20')).toEqual(['brulee', 'creme', 'torch', 'ø20', '주전자']);
  });

  it('given only punctuation or an over-long run of letters, when split, then there are no words', () => {
    expect(searchWords(' -- ,, ', 'x'.repeat(41))).toEqual([]);
  });

  it('given names differing in case and accents, when keyed for sorting, then they key alike', () => {
    expect(nameKey('Éclair Pan')).toBe(nameKey('eclair pan'));
  });
});
