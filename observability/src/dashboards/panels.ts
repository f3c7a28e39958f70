import { ReduceDataOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, DatasourceVariableBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** One PromQL query of a panel and how its series are named in the legend. */
export interface Query {
  readonly expr: string;
  /** @default the series' labels */
  readonly legend?: string;
}

/** A panel: a time series graph, or a stat showing the last value. */
export interface Panel {
  readonly title: string;
  readonly description: string;
  /** Grafana's unit id (`reqps`, `s`, `bytes`, `short`, `percentunit`, ...). */
  readonly unit: string;
  readonly queries: readonly Query[];
  /** @default 'timeseries' */
  readonly kind?: 'timeseries' | 'stat';
}

/** A titled group of panels, shown as a row. */
export interface Section {
  readonly title: string;
  readonly panels: readonly Panel[];
}

/** A dashboard as this package describes it, before it becomes Grafana's JSON model. */
export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly sections: readonly Section[];
}

const datasource = { type: 'prometheus', uid: '${datasource}' };

function panelOf({ title, description, unit, queries, kind = 'timeseries' }: Panel): TimeseriesPanelBuilder | StatPanelBuilder {
  const panel =
    kind === 'stat'
      ? new StatPanelBuilder().height(5).span(6).reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']))
      : new TimeseriesPanelBuilder().height(8).span(12);
  panel.title(title).description(description).unit(unit).datasource(datasource);
  queries.forEach(({ expr, legend }, index) => {
    const target = new DataqueryBuilder().expr(expr).refId(String.fromCharCode(65 + index)).datasource(datasource);
    panel.withTarget(legend === undefined ? target : target.legendFormat(legend));
  });
  return panel;
}

/** Grafana's JSON model of `spec`: a Prometheus data source variable, then one row per section. */
export function dashboardJson(spec: DashboardSpec): string {
  // The classic dashboard model: the one Grafana's sidecar and file provisioning load. The SDK marks it
  // deprecated in favour of the v2 schema, which Grafana serves only behind a feature flag.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'));
  // Ids in order of appearance: Grafana keys links, edits and repeats on them.
  let id = 0;
  for (const section of spec.sections) {
    builder.withRow(new RowBuilder(section.title).id((id += 1)));
    for (const panel of section.panels) builder.withPanel(panelOf(panel).id((id += 1)));
  }
  return `${JSON.stringify(builder.build(), null, 2)}\n`;
}
