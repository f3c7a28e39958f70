/** Label matchers of a selector: a value is matched exactly, a `RegExp` with `=~` (`!` first: `!~`). */
export type Matchers = Readonly<Record<string, string | RegExp | { readonly not: RegExp }>>;

/** Grafana's rate window, chosen from the scrape interval and the panel's resolution. */
export const RATE_WINDOW = '$__rate_interval';

const matcher = (label: string, value: Matchers[string]): string => {
  if (typeof value === 'string') return `${label}=${JSON.stringify(value)}`;
  if (value instanceof RegExp) return `${label}=~${JSON.stringify(value.source)}`;
  return `${label}!~${JSON.stringify(value.not.source)}`;
};

/** `metric{label="value",...}`. */
export function selector(metric: string, matchers: Matchers = {}): string {
  const parts = Object.entries(matchers).map(([label, value]) => matcher(label, value));
  return parts.length === 0 ? metric : `${metric}{${parts.join(',')}}`;
}

/** `rate(metric{...}[window])`. */
export function rate(metric: string, matchers: Matchers = {}, window = RATE_WINDOW): string {
  return `rate(${selector(metric, matchers)}[${window}])`;
}

/** `sum by (labels) (expr)`, or `sum(expr)` without labels. */
export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;
}

/** The `quantile` of a histogram's observations per `labels`, over the rate window. */
export function quantile(q: number, histogram: string, labels: readonly string[], matchers: Matchers = {}, window = RATE_WINDOW): string {
  return `histogram_quantile(${q}, ${sumBy([...labels, 'le'], rate(`${histogram}_bucket`, matchers, window))})`;
}

/**
 * `expr or vector(0)`: for counters of what should not happen (dead letters, retries, failures),
 * which have no series until it first does, so a quiet platform shows 0 rather than no data.
 */
export function orZero(expr: string): string {
  return `(${expr}) or vector(0)`;
}
