import { RATE_WINDOW } from '../promql.js';
import { dashboards } from './index.js';

/** One query of one panel, as found in a dashboard's JSON. */
export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  /** The PromQL as Grafana sends it, with `$__rate_interval` in it. */
  readonly expr: string;
}

interface JsonPanel {
  readonly title: string;
  readonly targets?: readonly { readonly expr?: string }[];
  readonly panels?: readonly JsonPanel[];
}

/**
 * Every panel query of every dashboard, read back from the JSON `dashboards()` writes: what a spec
 * runs against a Prometheus to show each panel has data.
 */
export function panelQueries(): PanelQuery[] {
  return dashboards().flatMap(({ fileName, json }) => {
    const { panels = [] } = JSON.parse(json) as { panels?: readonly JsonPanel[] };
    return panels
      .flatMap((panel) => [panel, ...(panel.panels ?? [])])
      .flatMap((panel) => (panel.targets ?? []).map((target) => ({ dashboard: fileName, panel: panel.title, expr: target.expr ?? '' })));
  });
}

/** A panel's PromQL as Prometheus takes it: Grafana's rate window replaced by `window` (e.g. `1m`). */
export function prometheusExpr(expr: string, window: string): string {
  return expr.replaceAll(RATE_WINDOW, window);
}
