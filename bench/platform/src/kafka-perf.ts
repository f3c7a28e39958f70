import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { Admin } from 'kafkajs';
import { PLATFORM_SH } from './builds.js';

const exec = promisify(execFile);

/** What Kafka's own perf tools measured on the local broker. */
export interface KafkaCeiling {
  readonly topic: string;
  readonly partitions: number;
  readonly records: number;
  readonly recordBytes: number;
  readonly producerPerSecond: number;
  readonly producerMbPerSecond: number;
  readonly producerP99Ms: number;
  readonly consumerPerSecond: number;
  readonly consumerMbPerSecond: number;
}

/** The summary line of `kafka-producer-perf-test`: records/s, MB/s and the p99 latency. */
export function parseProducerPerformance(output: string): { perSecond: number; mbPerSecond: number; p99Ms: number } {
  const lines = output.split('\n').filter((line) => / records sent, .* records\/sec/.test(line));
  const last = lines.at(-1);
  const match = last === undefined ? null : /records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\).*?, (\d+) ms 99th/.exec(last);
  if (match === null) throw new Error(`kafka-producer-perf-test printed no summary:\n${output}`);
  return { perSecond: Number(match[1]), mbPerSecond: Number(match[2]), p99Ms: Number(match[3]) };
}

/** The CSV line of `kafka-consumer-perf-test`: records/s and MB/s over the whole run. */
export function parseConsumerPerformance(output: string): { perSecond: number; mbPerSecond: number; records: number } {
  const lines = output.trim().split('\n');
  const header = lines.findIndex((line) => line.startsWith('start.time'));
  const names = lines[header]?.split(',').map((name) => name.trim()) ?? [];
  const values = lines[header + 1]?.split(',').map((value) => value.trim()) ?? [];
  const field = (name: string): number => {
    const at = names.indexOf(name);
    const value = at < 0 ? undefined : values[at];
    if (value === undefined || Number.isNaN(Number(value))) throw new Error(`kafka-consumer-perf-test printed no ${name}:\n${output}`);
    return Number(value);
  };
  return { perSecond: field('nMsg.sec'), mbPerSecond: field('MB.sec'), records: field('data.consumed.in.nMsg') };
}

/**
 * Kafka's own producer and consumer perf tools against the local broker, on a topic of the bench's
 * own with the saga topics' partitions, created before and deleted after: the producer with the
 * platform's producers' settings (acks=all, idempotent), then a consumer reading every record back.
 */
export async function kafkaCeiling(
  admin: Admin,
  { brokers, records, recordBytes, partitions }: { readonly brokers: string; readonly records: number; readonly recordBytes: number; readonly partitions: number },
): Promise<KafkaCeiling> {
  const run = randomUUID().slice(0, 8);
  const topic = `bench.platform.perf-${run}`;
  const group = `bench-platform-perf-${run}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  try {
    const tool = (className: string, args: readonly string[]) =>
      exec('bash', [PLATFORM_SH, 'kafka-tool', className, ...args], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
    const produced = await tool('org.apache.kafka.tools.ProducerPerformance', [
      '--topic', topic, '--num-records', String(records), '--record-size', String(recordBytes), '--throughput', '-1',
      '--producer-props', `bootstrap.servers=${brokers}`, 'acks=all', 'enable.idempotence=true', 'linger.ms=5',
    ]);
    const producer = parseProducerPerformance(produced.stdout);
    const consumed = await tool('org.apache.kafka.tools.ConsumerPerformance', [
      '--bootstrap-server', brokers, '--topic', topic, '--num-records', String(records), '--timeout', '60000',
      '--group', group,
    ]);
    const consumer = parseConsumerPerformance(consumed.stdout);
    return {
      topic,
      partitions,
      records,
      recordBytes,
      producerPerSecond: producer.perSecond,
      producerMbPerSecond: producer.mbPerSecond,
      producerP99Ms: producer.p99Ms,
      consumerPerSecond: consumer.perSecond,
      consumerMbPerSecond: consumer.mbPerSecond,
    };
  } finally {
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  }
}
