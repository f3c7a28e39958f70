import { figure, platformTable, ratio, sagaEfficiency, targets, type BuildFigures } from '../src/table.js';

function build(overrides: Partial<BuildFigures>): BuildFigures {
  return {
    maxRate: 10, completedPerSecond: 9.8, latency: { rate: 7, p50: 60, p99: 90, p999: 120 }, relayLagEvents: 3, relayLagMs: 40,
    cpuPerThousand: 100, cpuPerThousandByProcess: new Map([['order', 20]]), xactPerThousand: 70_000, kafkaMessagesPerOrder: 9,
    ...overrides,
  };
}

describe('the platform table’s ratios', () => {
  it('given 14 orders/s at 73 transactions per order and pgbench at 4,000 TPS, when the efficiency is taken, then it is 14 x 73 / 4,000', () => {
    expect(sagaEfficiency(build({ maxRate: 14, xactPerThousand: 73_000 }), { pgbenchTps: 4_000 })).toBeCloseTo(0.2555, 4);
  });

  it('given no pgbench figure or no sustained rate, when the efficiency is taken, then it is not measured', () => {
    expect(sagaEfficiency(build({}), {})).toBeUndefined();
    expect(sagaEfficiency(build({ maxRate: undefined }), { pgbenchTps: 4_000 })).toBeUndefined();
    expect(ratio(5, 0)).toBeUndefined();
    expect(ratio(Number.NaN, 4)).toBeUndefined();
  });

  it('given C at 50 orders/s against B at 10, p99 90 ms and efficiency 0.6, when the targets are checked, then all three are met', () => {
    const checks = targets(build({}), build({ maxRate: 50, xactPerThousand: 48_000 }), { pgbenchTps: 4_000 });

    expect(checks.map((check) => [check.name, check.value, check.met])).toEqual([
      ['throughput C/B', 5, true],
      ['saga efficiency of C', 0.6, true],
      ['p99 of C at 70 % of its maximum (ms)', 90, true],
    ]);
  });

  it('given C at 20 orders/s against B at 10 and p99 150 ms, when the targets are checked, then throughput and p99 are missed', () => {
    const checks = targets(build({}), build({ maxRate: 20, latency: { rate: 14, p50: 80, p99: 150, p999: 200 } }), { pgbenchTps: 4_000 });

    expect(checks.map((check) => check.met)).toEqual([false, false, false]);
  });

  it('given no B, when the targets are checked, then the throughput target is not measured rather than missed', () => {
    expect(targets(undefined, build({}), {})[0]).toMatchObject({ value: undefined, met: undefined });
  });
});

describe('the platform table', () => {
  it('given B, C and the ceilings, when printed, then each row holds B, C and C/B, and the transaction and Kafka rows hold A and C/A', () => {
    const lines = platformTable(build({}), build({ maxRate: 40, xactPerThousand: 50_000, kafkaMessagesPerOrder: 10 }), { pgbenchTps: 4_000, kafkaProducerPerSecond: 80_000, kafkaConsumerPerSecond: 200_000 });

    expect(lines[0]).toBe('| figure | A ceiling | B naive | C platform | C/B | C/A |');
    expect(lines).toContain('| orders/s sustained, 0 errors | - | 10.0 | 40.0 | 4.00x | - |');
    expect(lines).toContain('| PostgreSQL transactions/s at max (orders/s x tx/order) | 4,000 (pgbench) | 700 | 2,000 | 2.86x | 0.50 (efficiency) |');
    expect(lines).toContain('| Kafka messages/s at max | 80,000 produced, 200,000 consumed | 90.0 | 400 | 4.44x | 0.005x |');
  });

  it('given a figure not measured, when printed, then it shows as a dash, never as zero', () => {
    expect(figure(undefined)).toBe('-');
    expect(figure(Number.NaN)).toBe('-');
    expect(figure(0.256)).toBe('0.26');
    expect(figure(1234.5, ' ms')).toBe('1,235 ms');
  });
});
