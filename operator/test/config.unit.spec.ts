import { ConfigError, loadConfig } from '../src/config.js';

const required = {
  OPERATOR_NAMESPACE: 'msa',
  OPERATOR_CLUSTER_NAME: 'msa-kafka',
  OPERATOR_KAFKA_BOOTSTRAP: '127.0.0.1:19092, 127.0.0.2:19092',
};

describe('loadConfig', () => {
  it('given only the required variables, when loaded, then the defaults fill the rest and in-cluster credentials are used', () => {
    const config = loadConfig(required);

    expect(config).toMatchObject({
      namespace: 'msa',
      clusterName: 'msa-kafka',
      kafkaBootstrap: ['127.0.0.1:19092', '127.0.0.2:19092'],
      resyncPeriodMs: 120_000,
      maxConcurrentReconciles: 8,
      httpPort: 8080,
      leaseName: 'msa-topic-operator',
      leaseDurationMs: 15_000,
      logLevel: 'info',
    });
    expect(config.kubeconfigPath).toBeUndefined();
    expect(config.identity).toMatch(/-\d+$/);
  });

  it('given overrides, when loaded, then they win', () => {
    const config = loadConfig({ ...required, OPERATOR_RESYNC_PERIOD_MS: '5000', OPERATOR_IDENTITY: 'pod-1', KUBECONFIG: 'config/kubeconfig' });

    expect(config).toMatchObject({ resyncPeriodMs: 5000, identity: 'pod-1', kubeconfigPath: 'config/kubeconfig' });
  });

  it('given a missing namespace and a bad bootstrap, when loaded, then the error names both variables', () => {
    const load = () => loadConfig({ OPERATOR_CLUSTER_NAME: 'msa-kafka', OPERATOR_KAFKA_BOOTSTRAP: 'localhost' });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/OPERATOR_NAMESPACE.*OPERATOR_KAFKA_BOOTSTRAP/);
  });

  it('given a lease too short to renew safely, when loaded, then it is refused naming the variable', () => {
    expect(() => loadConfig({ ...required, OPERATOR_LEASE_DURATION_MS: '500' })).toThrow(/OPERATOR_LEASE_DURATION_MS/);
  });

  it('given a port that is not a number, when loaded, then it is refused naming the variable', () => {
    expect(() => loadConfig({ ...required, OPERATOR_HTTP_PORT: 'http' })).toThrow(/OPERATOR_HTTP_PORT/);
  });
});
