export { alertRules, alertRulesYaml, type AlertRule } from './alerts/rules.js';
export { dashboards, type DashboardFile } from './dashboards/index.js';
export { prometheusConfigYaml, type PrometheusConfigOptions } from './prometheus-config.js';
export { panelQueries, prometheusExpr, type PanelQuery } from './dashboards/queries.js';
