import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor } from '@msa/contracts';
import { findParkedKey } from '../../src/consumer/parking/parked-keys.js';
import { withAdmin } from '../../src/kafka/admin.js';
import { eventually, unique, userCreated, userUpdated } from '../consumer/fixture.js';
import { TWO_QUICK_ATTEMPTS, useConsumerTestbed } from '../consumer/testbed.js';
import { createRecorder } from './recorder.js';
import { cliFor } from './run-cli.js';

describe('dlt release: freeing a parked key whose dead letters expired', () => {
  const bed = useConsumerTestbed('cli_release');
  const group = unique('test-release');
  const { broken, handled, handlers } = createRecorder('ledger down');
  const expired = randomUUID();
  const kept = randomUUID();
  let topic: string;

  const run = cliFor(bed);
  const release = (key: string, ...flags: string[]) => run('release', '--topic', topic, '--group', group, '--key', key, ...flags);
  const isParked = async (key: string) => (await findParkedKey(bed.database.pool, group, topic, key)) !== undefined;

  beforeAll(async () => {
    topic = await bed.createTopic('test.cli.release', 2);
    await bed.startRunner({ groupId: group, topics: [topic], handlers, retry: TWO_QUICK_ATTEMPTS });
    broken.add(expired);
    broken.add(kept);
    await bed.publish(topic, [userCreated(expired)], 0);
    await bed.publish(topic, [userCreated(kept)], 1);
    await eventually(async () => (await isParked(expired)) && (await isParked(kept)));
  });

  it('given a parked key whose entry is still in the DLT, when released with --execute, then it is refused and stays parked', async () => {
    const { err, exitCode } = await release(expired, '--execute');

    expect(exitCode).toBe(1);
    expect(err).toContain(`${expired} of ${topic} for ${group} still has entries in ${topic}.DLT (1)`);
    expect(err).toContain('give --force');
    expect(await isParked(expired)).toBe(true);
  }, 60_000);

  it('given the entry still in the DLT, when released without --execute, then the dry run lists the entry and changes nothing', async () => {
    const { out, exitCode } = await release(expired);

    expect(exitCode).toBe(0);
    expect(out).toContain(`${expired} of ${topic} for ${group}: parked on partition 0 behind offset 0`);
    expect(out).toContain(`still holds 1 entry of this key for ${group}, 1 pending: 0:0 (pending)`);
    expect(out).toContain('dry run: nothing was changed');
    expect(await isParked(expired)).toBe(true);
  }, 60_000);

  it('given the entry expired from the DLT, when released as a dry run, then it says only release can free the key', async () => {
    // What retention does to an old entry: the partition's log starts after it.
    await withAdmin(bed.kafka, async (admin) => {
      const dlt = deadLetterTopicFor(topic);
      await admin.fetchTopicMetadata({ topics: [dlt] });
      await admin.deleteTopicRecords({ topic: dlt, partitions: [{ partition: 0, offset: '-1' }] });
    });
    const replay = await run('replay', '--topic', topic, '--group', group, '--key', expired);

    const { out, exitCode } = await release(expired);

    expect(replay.out).toContain(`${expired} is parked but has no pending entry to replay`);
    expect(exitCode).toBe(0);
    expect(out).toContain(`${topic}.DLT holds no entries of this key for ${group} (they expired): only release can free it`);
    expect(await isParked(expired)).toBe(true);
  }, 60_000);

  it('given the entry expired and the cause fixed, when released with --execute, then the running consumer handles the key’s next message instead of dead-lettering it', async () => {
    broken.delete(expired);

    const { out, exitCode } = await release(expired, '--execute');
    await bed.publish(topic, [userUpdated(expired, 2, 'Jun Seo')], 0);

    expect(exitCode).toBe(0);
    expect(out).toBe(`released ${expired} of ${topic} for ${group}: its next message is handled`);
    expect(await isParked(expired)).toBe(false);
    await eventually(() => handled.includes(`${expired}:2`));
    expect((await bed.deadLetters(topic)).filter((message) => message.key === expired)).toEqual([]);
  }, 60_000);

  it('given a parked key whose entry is still in the DLT, when released with --execute --force, then it is un-parked and its next message is handled', async () => {
    broken.delete(kept);

    const { out, exitCode } = await release(kept, '--execute', '--force');
    await bed.publish(topic, [userUpdated(kept, 2, 'Ara Lim')], 1);

    expect(exitCode).toBe(0);
    expect(out).toContain(`${topic}.DLT keeps 1 entry of it, and new messages of the key go ahead of them`);
    await eventually(() => handled.includes(`${kept}:2`));
    expect(await isParked(kept)).toBe(false);
  }, 60_000);

  it('given a key that is not parked, when released, then it says so and exits 1', async () => {
    const dryRun = await release(expired);
    const executed = await release(randomUUID(), '--execute');

    expect(dryRun.exitCode).toBe(1);
    expect(dryRun.out).toContain('is not parked: nothing to release');
    expect(executed.exitCode).toBe(1);
    expect(executed.err).toContain('is not parked: nothing to release');
  }, 60_000);
});
