/**
 * The name order's buckets: each product's `nameBucket` is the class of the first character of its
 * name key, and the classes are intervals of code points in name-key order, so walking them in
 * order and sorting inside each walks the whole name order. FerretDB v1 pushes the equality on a
 * bucket down to PostgreSQL, so an unfiltered name listing reads one bucket at a time instead of
 * every active product (see the README's section on listing).
 */

/** The buckets in name order: below the digits, each digit, between digits and letters, each letter, above them. */
export const NAME_BUCKETS: readonly string[] = [
  '<0',
  ...codePointRange(0x30, 0x39),
  '9<a',
  ...codePointRange(0x61, 0x7a),
  '>z',
];

/**
 * The bucket of a name key (already lower-cased and folded). An empty key sorts first and joins the
 * first bucket. The classes split on code points, which order strings as FerretDB and MongoDB compare
 * them (bytewise UTF-8), so every key of a bucket sorts before every key of the next.
 */
export function nameBucketOf(nameKey: string): string {
  const first = nameKey.codePointAt(0);
  if (first === undefined || first < 0x30) return '<0';
  if (first <= 0x39) return String.fromCodePoint(first);
  if (first < 0x61) return '9<a';
  if (first <= 0x7a) return String.fromCodePoint(first);
  return '>z';
}

/** The buckets a name listing visits from the one holding `nameKey` on (from the first without one), in order. */
export function nameBucketsFrom(nameKey: string | undefined): readonly string[] {
  return nameKey === undefined ? NAME_BUCKETS : NAME_BUCKETS.slice(NAME_BUCKETS.indexOf(nameBucketOf(nameKey)));
}

/** The one-character strings of the code points `from` to `to`, in order. */
function codePointRange(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, offset) => String.fromCodePoint(from + offset));
}
