import { consumerGroupsOf } from '../../src/testing/service-harness.js';
import { serviceTestTopics } from '../../src/testing/index.js';

const topicsOf = (...args: Parameters<typeof serviceTestTopics>) => serviceTestTopics(...args).map(({ topic }) => topic);

describe('serviceTestTopics: the topics a service built in a test needs', () => {
  it('given a producer whose groups consume some of its topics, then it gets each topic it publishes, and a DLT only beside those it consumes', () => {
    expect(topicsOf({ name: 'user', groups: ['user.read-model', 'user.sessions'] }, 'ns1')).toEqual([
      'user.profile.created.ns1',
      'user.profile.created.ns1.DLT',
      'user.profile.updated.ns1',
      'user.profile.updated.ns1.DLT',
      'user.credentials.changed.ns1',
      'user.credentials.changed.ns1.DLT',
      'user.password.reset.requested.ns1',
    ]);
  });

  it("given groups consuming other services' topics, then those topics and their DLTs come too, and nothing it neither publishes nor consumes", () => {
    expect(topicsOf({ name: 'notification', groups: ['notification.triggers'] }, 'ns2')).toEqual([
      'user.profile.created.ns2',
      'user.profile.created.ns2.DLT',
      'user.profile.updated.ns2',
      'user.profile.updated.ns2.DLT',
      'user.password.reset.requested.ns2',
      'user.password.reset.requested.ns2.DLT',
      'order.lifecycle.cancelled.ns2',
      'order.lifecycle.cancelled.ns2.DLT',
      'payment.transaction.completed.ns2',
      'payment.transaction.completed.ns2.DLT',
      'inventory.stock.depleted.ns2',
      'inventory.stock.depleted.ns2.DLT',
      'notification.email.requested.ns2',
      'notification.sms.requested.ns2',
      'notification.push.requested.ns2',
    ]);
  });

  it('given a service with no groups and no catalog topic, then it needs none', () => {
    expect(serviceTestTopics({ name: 'probe', groups: [] }, 'ns3')).toEqual([]);
  });

  it('given a topic, then its DLT has as many partitions as it does, from the catalog', () => {
    const topics = serviceTestTopics({ name: 'order', groups: ['order.read-model'] }, 'ns4');
    expect(topics.find(({ topic }) => topic === 'order.lifecycle.created.ns4')).toEqual({ topic: 'order.lifecycle.created.ns4', numPartitions: 5 });
    expect(topics.find(({ topic }) => topic === 'order.lifecycle.created.ns4.DLT')).toEqual({ topic: 'order.lifecycle.created.ns4.DLT', numPartitions: 5 });
  });
});

describe("consumerGroupsOf: the groups a service's test topics follow from", () => {
  const noHandlers = {};

  it("given read models and consumers of its own, then the read models' group comes first, then each consumer's", () => {
    expect(
      consumerGroupsOf(
        { readModels: { group: 'user.read-model', definitions: [] } },
        { consumers: [{ group: 'user.sessions', handlers: noHandlers }] },
      ),
    ).toEqual(['user.read-model', 'user.sessions']);
  });

  it('given only consumers of its own, then their groups', () => {
    expect(
      consumerGroupsOf(
        {},
        {
          consumers: [
            { group: 'notification.triggers', handlers: noHandlers },
            { group: 'notification.dispatcher', handlers: noHandlers },
          ],
        },
      ),
    ).toEqual(['notification.triggers', 'notification.dispatcher']);
  });

  it('given neither, then none', () => {
    expect(consumerGroupsOf({}, {})).toEqual([]);
  });
});
