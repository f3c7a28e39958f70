import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainEvent } from '@msa/contracts';
import { RetriableError, type ConsumerRunner, type RetryPolicy } from '../../src/consumer/index.js';
import { withAdmin } from '../../src/kafka/admin.js';
import type { PlatformMetrics } from '../../src/telemetry/metrics.js';
import { eventually, quietTelemetry, unique, userCreated } from './fixture.js';
import { useConsumerTestbed } from './testbed.js';

describe('consumer runner: graceful shutdown', () => {
  const bed = useConsumerTestbed('consumer_shutdown');

  async function freshTopic(): Promise<{ topic: string; group: string }> {
    return { topic: await bed.createTopic('test.consumer.shutdown'), group: unique('test-shutdown') };
  }

  /** A runner with metrics of its own, so each run's counts can be told apart. */
  function runner(
    topic: string,
    group: string,
    handle: (event: DomainEvent) => Promise<void>,
    retry: Partial<RetryPolicy> = {},
  ): { runner: ConsumerRunner; metrics: PlatformMetrics } {
    const { metrics } = quietTelemetry();
    return {
      metrics,
      runner: bed.createRunner({
        groupId: group,
        topics: [topic],
        handlers: { UserCreated: handle },
        metrics,
        retry,
        // Only the end of a batch or a stop commits: what this test checks.
        commitIntervalMs: 60_000,
      }),
    };
  }

  async function committedOffset(group: string, topic: string): Promise<string | undefined> {
    const [offsets] = await withAdmin(bed.kafka, (admin) => admin.fetchOffsets({ groupId: group, topics: [topic] }));
    return offsets?.partitions.find((partition) => partition.partition === 0)?.offset;
  }

  it('given a consumer mid-batch, when stopped, then the handler in flight finishes, handled offsets are committed and a restart handles only the rest', async () => {
    const { topic, group } = await freshTopic();
    const events = Array.from({ length: 30 }, () => userCreated(randomUUID()));
    await bed.publish(topic, events);
    const first: string[] = [];
    const second: string[] = [];
    let inFlight = 0;
    const slowly = (into: string[]) => async (event: DomainEvent) => {
      inFlight += 1;
      await sleep(40);
      into.push(event.eventId);
      inFlight -= 1;
    };

    const a = runner(topic, group, slowly(first));
    await a.runner.start();
    await eventually(() => first.length >= 5);
    await a.runner.stop();
    const handledBeforeStop = first.length;

    expect(inFlight).toBe(0);
    expect(handledBeforeStop).toBeLessThan(30);
    expect(await committedOffset(group, topic)).toBe(String(handledBeforeStop));

    const b = runner(topic, group, slowly(second));
    await b.runner.start();
    await eventually(() => first.length + second.length >= 30);
    await b.runner.stop();

    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect([...first, ...second]).toEqual(events.map((event) => event.eventId));
    expect(await b.metrics.registry.getSingleMetricAsString('consumer_handled_total')).not.toContain('outcome="duplicate"');
    expect(await committedOffset(group, topic)).toBe('30');
  }, 60_000);

  it('given a message waiting for its retry backoff, when stopped, then stop is prompt, the message is neither committed nor dead-lettered, and a restart handles it', async () => {
    const { topic, group } = await freshTopic();
    const [ok, flaky] = [userCreated(randomUUID()), userCreated(randomUUID())];
    await bed.publish(topic, [ok, flaky]);
    const handled: string[] = [];
    let failures = 0;

    const a = runner(
      topic,
      group,
      (event) => {
        if (event.eventId === flaky.eventId) {
          failures += 1;
          return Promise.reject(new RetriableError('search index unavailable'));
        }
        handled.push(event.eventId);
        return Promise.resolve();
      },
      { maxAttempts: 5, initialDelayMs: 20_000, maxDelayMs: 20_000 },
    );
    await a.runner.start();
    await eventually(() => failures === 1);
    const stopping = Date.now();
    await a.runner.stop();

    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect(await committedOffset(group, topic)).toBe('1');

    const b = runner(topic, group, (event) => {
      handled.push(event.eventId);
      return Promise.resolve();
    });
    await b.runner.start();
    await eventually(() => handled.length === 2);
    await b.runner.stop();

    expect(handled).toEqual([ok.eventId, flaky.eventId]);
    expect(await bed.deadLetters(topic)).toEqual([]);
  }, 60_000);

  it('given a runner still starting, when stopped, then it ends stopped and consumes nothing', async () => {
    const { topic, group } = await freshTopic();
    const handled: string[] = [];
    const { runner: starting } = runner(topic, group, (event) => {
      handled.push(event.eventId);
      return Promise.resolve();
    });

    // SIGTERM during start-up: the stop lands while start is still connecting.
    const started = starting.start();
    await starting.stop();
    await started.catch(() => undefined);
    await bed.publish(topic, [userCreated(randomUUID())]);
    await sleep(2_000);

    await expect(starting.readiness.check(AbortSignal.timeout(1_000))).rejects.toThrow('is stopped');
    expect(handled).toEqual([]);
    const [description] = await withAdmin(bed.kafka, (admin) => admin.describeGroups([group])).then((d) => d.groups);
    expect(description?.members ?? []).toEqual([]);
  }, 30_000);
});
