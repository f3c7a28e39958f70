import { stringify } from 'yaml';

/** Where the platform's pods run. */
export interface PrometheusConfigOptions {
  /** The namespace whose pods are discovered. */
  readonly namespace: string;
  /** How often every target is scraped. @default '15s' */
  readonly scrapeInterval?: string;
  /** The rule files Prometheus loads. @default ['/etc/prometheus/rules/*.yaml'] */
  readonly ruleFiles?: readonly string[];
}

/**
 * A Prometheus configuration that finds the platform's pods with Kubernetes service discovery and
 * scrapes those annotated `prometheus.io/scrape: "true"` on `prometheus.io/port` and
 * `prometheus.io/path` (default `/metrics`), labelling each series with its pod, namespace and the
 * pod's `app.kubernetes.io/name` as `service`.
 */
export function prometheusConfigYaml(options: PrometheusConfigOptions): string {
  const interval = options.scrapeInterval ?? '15s';
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: options.ruleFiles ?? ['/etc/prometheus/rules/*.yaml'],
    scrape_configs: [
      {
        job_name: 'msa-pods',
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [options.namespace] } }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
          { source_labels: ['__meta_kubernetes_pod_phase'], action: 'keep', regex: 'Running' },
          {
            source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'],
            action: 'replace',
            target_label: '__metrics_path__',
            regex: '(.+)',
          },
          {
            source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            action: 'replace',
            target_label: '__address__',
            regex: '([^:]+)(?::\\d+)?;(\\d+)',
            replacement: '$1:$2',
          },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], target_label: 'service' },
        ],
      },
    ],
  });
}
