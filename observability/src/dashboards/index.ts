import type { ServiceName } from '@msa/contracts';
import { operatorDashboard } from './operator.js';
import { overviewDashboard } from './overview.js';
import { dashboardJson, type DashboardSpec } from './panels.js';
import { serviceDashboard } from './service.js';

/** One dashboard as Grafana's sidecar loads it: a file name and its JSON model. */
export interface DashboardFile {
  readonly fileName: string;
  readonly json: string;
}

/** The six services, in the platform's start order. */
const serviceNames = ['user', 'product', 'inventory', 'payment', 'order', 'notification'] as const satisfies readonly ServiceName[];

/** Every dashboard's description: the overview, one per service, the operator's. */
function dashboardSpecs(): DashboardSpec[] {
  return [overviewDashboard(), ...serviceNames.map(serviceDashboard), operatorDashboard()];
}

/** Every dashboard of the platform, as JSON files named by their uid. */
export function dashboards(): DashboardFile[] {
  return dashboardSpecs().map((spec) => ({ fileName: `${spec.uid}.json`, json: dashboardJson(spec) }));
}
