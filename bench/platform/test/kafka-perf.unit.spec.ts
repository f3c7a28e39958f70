import { parseConsumerPerformance, parseProducerPerformance } from '../src/kafka-perf.js';

describe('Kafka perf tools’ output', () => {
  it('given the producer tool’s progress lines and summary, when parsed, then the summary’s records/s, MB/s and p99 are read', () => {
    const output = [
      '151204 records sent, 30240.8 records/sec (29.53 MB/sec), 812.4 ms avg latency, 1204.0 ms max latency.',
      '300000 records sent, 41152.3 records/sec (40.19 MB/sec), 640.15 ms avg latency, 1204.00 ms max latency, 598 ms 50th, 1100 ms 95th, 1180 ms 99th, 1200 ms 99.9th.',
    ].join('\n');

    expect(parseProducerPerformance(output)).toEqual({ perSecond: 41152.3, mbPerSecond: 40.19, p99Ms: 1180 });
  });

  it('given the consumer tool’s CSV, when parsed, then nMsg.sec and MB.sec are read by their names', () => {
    const output = [
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-12-03 10:40:01:123, 2026-12-03 10:40:05:456, 292.9688, 67.6141, 300000, 69236.0, 3012, 1321, 221.77, 227100.7',
    ].join('\n');

    expect(parseConsumerPerformance(output)).toEqual({ perSecond: 69236, mbPerSecond: 67.6141, records: 300000 });
  });

  it('given output without a summary, when parsed, then the error shows it', () => {
    expect(() => parseProducerPerformance('org.apache.kafka.common.errors.TimeoutException')).toThrow('printed no summary');
  });
});
