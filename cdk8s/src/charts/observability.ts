import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { alertRulesYaml, dashboards, prometheusConfigYaml } from '@msa/observability';
import { egressTo, ingressOpen } from '../constructs/network-peers.js';
import { httpProbe } from '../constructs/pod-security.js';
import { ServerWorkload } from '../constructs/server-workload.js';
import { labelsOf, PORTS, selectorOf, type ProgramSpec } from '../programs.js';
import type { Profile } from '../profiles.js';

export interface ObservabilityChartProps {
  readonly namespace: string;
  readonly profile: Profile;
  readonly programs: readonly ProgramSpec[];
}

/** Where Prometheus finds its rules, under /etc/prometheus: the directory `prometheusConfigYaml` loads. */
const RULES_DIRECTORY = 'rules';

/**
 * Grafana dashboards as ConfigMaps its sidecar loads (label `grafana_dashboard: "1"`), the alert
 * rules as a ConfigMap any Prometheus can mount, and, where the profile runs one, Prometheus itself:
 * discovering the namespace's annotated pods with a ServiceAccount that may only read pods there.
 */
export class ObservabilityChart extends Chart {
  constructor(scope: Construct, id: string, { namespace, profile, programs }: ObservabilityChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const labels = labelsOf('prometheus', 'observability');
    for (const dashboard of dashboards()) {
      const name = `msa-dashboard-${dashboard.fileName.replace(/\.json$/, '').replace(/[^a-z0-9-]/g, '-')}`;
      new k8s.KubeConfigMap(this, name, {
        metadata: { name, namespace, labels: { ...labelsOf('grafana', 'observability'), grafana_dashboard: '1' } },
        data: { [dashboard.fileName]: dashboard.json },
      });
    }
    const rules = new k8s.KubeConfigMap(this, 'rules', {
      metadata: { name: 'msa-prometheus-rules', namespace, labels },
      data: { 'msa-alerts.yaml': alertRulesYaml() },
    });
    if (!profile.prometheus) return;

    const name = 'msa-prometheus';
    const config = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: 'msa-prometheus-config', namespace, labels },
      data: { 'prometheus.yml': prometheusConfigYaml({ namespace }) },
    });
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, namespace, labels }, automountServiceAccountToken: false });
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name, labels },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    // Bound in the namespace only: the ClusterRole grants nothing elsewhere.
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    new ServerWorkload(this, 'prometheus', {
      namespace,
      profile,
      name: 'prometheus',
      image: 'prometheus',
      serviceAccountName: name,
      ports: [{ name: 'http', port: PORTS.prometheus }],
      // images/prometheus runs `prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus`.
      args: ['--storage.tsdb.retention.time=2d', `--web.listen-address=:${PORTS.prometheus}`],
      configFiles: {
        path: '/etc/prometheus',
        files: { 'prometheus.yml': [config.name, 'prometheus.yml'], [`${RULES_DIRECTORY}/msa-alerts.yaml`]: [rules.name, 'msa-alerts.yaml'] },
      },
      scratchPaths: ['/prometheus'],
      resources: { cpu: ['100m', '1'], memory: ['256Mi', '1Gi'] },
      readinessProbe: httpProbe('/-/ready', 'http', { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
      livenessProbe: httpProbe('/-/healthy', 'http', { initialDelaySeconds: 30, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 }),
      ingress: [ingressOpen([PORTS.prometheus])],
      // Each program on its own port only.
      egress: [
        ...programs.map((p) => ({ to: [{ podSelector: { matchLabels: selectorOf(p.name) } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p.port) }] })),
        egressTo('kube-api', profile),
      ],
    });
  }
}
