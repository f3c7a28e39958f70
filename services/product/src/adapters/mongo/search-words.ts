/** The longest word kept for search: longer runs of letters are not words anyone types. */
const MAX_WORD_LENGTH = 40;

/**
 * The distinct search words of a text: split on anything that is not a letter or digit, lower-cased,
 * accents folded (`Café` → `cafe`), in sorted order. The read model stores a product's name and
 * description words this way, and a query's words are normalised alike, so matching is equality.
 * No stemming: `kettles` does not find `kettle`.
 */
export function searchWords(...texts: readonly string[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const word of fold(text).split(/[^\p{L}\p{N}]+/u)) {
      if (word.length > 0 && word.length <= MAX_WORD_LENGTH) words.add(word);
    }
  }
  return [...words].sort();
}

/** The key a listing sorts names by: case and accents do not order products apart. */
export function nameKey(name: string): string {
  return fold(name);
}

/**
 * Lower-cased without accents: decomposed, stripped of combining marks, composed again, since the
 * decomposition also splits letters that are no accented Latin (a Hangul syllable into its jamo).
 */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();
}
