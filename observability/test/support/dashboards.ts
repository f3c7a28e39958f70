import { dashboards } from '../../src/index.js';

/** One query of one panel, as found in a dashboard's JSON. */
export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

interface JsonPanel {
  readonly type: string;
  readonly title: string;
  readonly targets?: readonly { readonly expr?: string }[];
  readonly panels?: readonly JsonPanel[];
}

/** Every panel query of every dashboard, read back from the JSON the package writes. */
export function panelQueries(): PanelQuery[] {
  return dashboards().flatMap(({ fileName, json }) => {
    const { panels = [] } = JSON.parse(json) as { panels?: readonly JsonPanel[] };
    return panels
      .flatMap((panel) => [panel, ...(panel.panels ?? [])])
      .flatMap((panel) => (panel.targets ?? []).map((target) => ({ dashboard: fileName, panel: panel.title, expr: target.expr ?? '' })));
  });
}
