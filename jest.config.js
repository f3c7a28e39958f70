// Three projects: `unit` (pure logic, no servers), `integration` (int and e2e specs against the
// real servers that local/up starts) and `cluster` (e2e specs against the platform deployed on the
// local Kubernetes node, which `local/cluster up` and `deploy` must have started: local/run-tests
// does). ESM throughout, so jest runs with --experimental-vm-modules.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
  ],
};
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform,
  // Workspace packages resolve to their sources so tests never need a prior build.
  moduleNameMapper: {
    '^@msa/local$': '<rootDir>/local/src/index.ts',
    '^@msa/platform/domain$': '<rootDir>/packages/platform/src/domain/index.ts',
    '^@msa/platform/testing$': '<rootDir>/packages/platform/src/testing/index.ts',
    '^@msa/platform/metrics$': '<rootDir>/packages/platform/src/telemetry/catalog.ts',
    '^@msa/payment-service/metrics$': '<rootDir>/services/payment/src/adapters/worker/metrics.ts',
    '^@msa/notification-service/metrics$': '<rootDir>/services/notification/src/adapters/sender/metrics.ts',
    '^@msa/order-service/metrics$': '<rootDir>/services/order/src/adapters/saga/metrics.ts',
    '^@msa/operator/metrics$': '<rootDir>/operator/src/metrics.ts',
    '^@msa/(contracts|platform)$': '<rootDir>/packages/$1/src/index.ts',
    '^@msa/observability$': '<rootDir>/observability/src/index.ts',
    '^@msa/operator$': '<rootDir>/operator/src/index.ts',
    '^@msa/cdk8s$': '<rootDir>/cdk8s/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/\\.local/'],
  // Kept out of the module map too: .local holds the local node's image build trees and container
  // root filesystems, whose package.json files come and go while jest crawls.
  modulePathIgnorePatterns: ['<rootDir>/\\.local/'],
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts', '<rootDir>/**/*.e2e.spec.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, '<rootDir>/e2e/test/cluster/'],
    },
    { ...shared, displayName: 'cluster', testMatch: ['<rootDir>/e2e/test/cluster/**/*.e2e.spec.ts'] },
  ],
  // Read from the root only (jest ignores it inside a project); integration tests wait on servers.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/local/jest/totals-reporter.js'],
};
