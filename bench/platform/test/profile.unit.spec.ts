import { packageOf, selfTimes, type CpuProfile } from '../src/profile.js';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });

describe('where a profiled service’s time goes', () => {
  // 10 samples over 10 ms: 4 idle, 3 in pg, 2 in the service's own code, 1 in the garbage collector.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), hitCount: 0 },
      { id: 2, callFrame: frame('(idle)', ''), hitCount: 0 },
      { id: 3, callFrame: frame('parse', 'file:///repo/node_modules/pg-protocol/dist/parser.js', 9), hitCount: 0 },
      { id: 4, callFrame: frame('decide', 'file:///repo/services/order/dist/src/domain/decide.js', 4), hitCount: 0 },
      { id: 5, callFrame: frame('(garbage collector)', ''), hitCount: 0 },
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [2, 2, 2, 2, 3, 3, 3, 4, 4, 5],
    timeDeltas: [1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
  };

  it('given samples in idle, pg, the service and the collector, when ranked, then shares are of the busy samples, largest first', () => {
    const { busyMs, idleShare, functions, packages } = selfTimes(profile, 10);

    expect(busyMs).toBe(6);
    expect(idleShare).toBe(0.4);
    expect(functions.map((entry) => [entry.name, entry.share])).toEqual([
      ['parse pg-protocol:10', 0.5],
      ['decide services/order:decide.js:5', 2 / 6],
      ['(garbage collector)', 1 / 6],
    ]);
    expect(packages.map((entry) => entry.name)).toEqual(['pg-protocol', 'services/order', '(garbage collector)']);
  });

  it('given only the profile’s last 3 ms, when ranked, then the samples before them are left out', () => {
    const { busyMs, idleShare, functions } = selfTimes(profile, 10, { lastMs: 3 });

    expect(idleShare).toBe(0);
    expect(busyMs).toBe(3);
    expect(functions.map((entry) => [entry.name, entry.share])).toEqual([
      ['decide services/order:decide.js:5', 2 / 3],
      ['(garbage collector)', 1 / 3],
    ]);
  });

  it('given a script URL, when its package is named, then node_modules scopes, Node internals and repository folders are told apart', () => {
    expect(packageOf('file:///r/node_modules/@opentelemetry/api/build/index.js')).toBe('@opentelemetry/api');
    expect(packageOf('file:///r/node_modules/kafkajs/src/network/connection.js')).toBe('kafkajs');
    expect(packageOf('node:internal/streams/writable')).toBe('node:internal');
    expect(packageOf('file:///r/packages/platform/dist/src/consumer/runner.js')).toBe('packages/platform');
    expect(packageOf('file:///home/bench/services/order/dist/src/app.js')).toBe('services/order');
  });
});
