/** Picks one of `items`: `hotShare` of the picks from the first `hotItems` of them, the rest from the others. */
export function skewedPicker<T>(items: readonly T[], { hotShare, hotItems }: { readonly hotShare: number; readonly hotItems: number }): () => T {
  if (items.length === 0) throw new RangeError('nothing to pick from');
  const hot = items.slice(0, Math.max(1, Math.min(items.length, hotItems)));
  const cold = items.slice(hot.length);
  const pickFrom = (pool: readonly T[]): T => pool[Math.floor(Math.random() * pool.length)] as T;
  return () => (cold.length === 0 || Math.random() < hotShare ? pickFrom(hot) : pickFrom(cold));
}
