/** The `p`-th percentile (0–100) of `values`, nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.toSorted((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The median of `values`; NaN when empty. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** A rate for the report: whole numbers with thousands separators. */
export function perSecond(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')}/s`;
}

/** A line of the report: what, the figure, and the verdict against a target when there is one. */
export function line(label: string, figure: string, target?: { readonly met: boolean; readonly text: string }): string {
  const verdict = target === undefined ? '' : `  ${target.met ? 'MET ' : 'MISS'} (target ${target.text})`;
  return `${label.padEnd(66)} ${figure.padStart(14)}${verdict}`;
}
