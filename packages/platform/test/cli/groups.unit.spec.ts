import { consumerGroups, deadLetterTopicFor, topicsConsumedBy } from '@msa/contracts';
import { runCli } from './run-cli.js';

// `groups` reads only the topic catalog, so it runs with no settings at all.
describe('dlt groups', () => {
  it('given the catalog, when listed for a service, then each of its groups shows its purpose and each topic beside its DLT', async () => {
    const { out, exitCode } = await runCli({}, 'groups', '--service', 'user');

    // Topic names are padded to the longest, so the DLT column lines up across the service's groups.
    const groups = ['user.read-model', 'user.sessions'] as const;
    const width = Math.max(...groups.flatMap((group) => topicsConsumedBy(group).map((topic) => topic.length)));
    expect(exitCode).toBe(0);
    expect(out.split('\n')).toEqual(
      groups.flatMap((group) => [
        `${group} (user): ${consumerGroups[group].purpose}`,
        ...topicsConsumedBy(group).map((topic) => `  ${topic.padEnd(width)}  dead letters in ${deadLetterTopicFor(topic)}`),
      ]),
    );
  });

  it('given no service, when listed as JSON, then every group of the catalog is there, in catalog order', async () => {
    const { out } = await runCli({}, 'groups', '--json');

    const listed = (JSON.parse(out) as { groups: { group: string; topics: { deadLetterTopic: string }[] }[] }).groups;
    expect(listed.map(({ group }) => group)).toEqual(Object.keys(consumerGroups));
    expect(listed.find(({ group }) => group === 'order.saga')?.topics.map(({ deadLetterTopic }) => deadLetterTopic)).toEqual(
      topicsConsumedBy('order.saga').map(deadLetterTopicFor),
    );
  });

  it('given a service without groups in the catalog, when listed, then it is refused naming the services that have some', async () => {
    const { err, exitCode } = await runCli({}, 'groups', '--service', 'shop');

    expect(exitCode).toBe(1);
    expect(err).toContain('no consumer group of the catalog belongs to it; services with groups: user, product, order');
  });
});
