import { notReadyTopics } from '../src/cli/topic-readiness.js';

function topic(name: string, status?: object, generation = 1): object {
  return { metadata: { name, generation }, ...(status === undefined ? {} : { status }) };
}
const ready = { conditions: [{ type: 'Ready', status: 'True' }], observedGeneration: 1 };

describe('notReadyTopics', () => {
  it('given every named topic Ready, when judged, then none is reported and unnamed ones are not looked at', () => {
    const items = [topic('orders', ready), topic('mine', { conditions: [{ type: 'Ready', status: 'False' }] })];

    expect(notReadyTopics(items, ['orders'])).toEqual([]);
  });

  it('given a Ready=False condition, when judged, then its reason and message are reported', () => {
    const failed = {
      conditions: [{ type: 'Ready', status: 'False', reason: 'KafkaError', message: 'replication factor 3 > 1 broker' }],
      observedGeneration: 1,
    };

    expect(notReadyTopics([topic('orders', failed)], ['orders'])).toEqual([
      { name: 'orders', reason: 'KafkaError', message: 'replication factor 3 > 1 broker' },
    ]);
  });

  it('given a named topic that is missing or has no status yet, when judged, then each says so', () => {
    expect(notReadyTopics([topic('orders')], ['orders', 'payments'])).toEqual([
      { name: 'orders', reason: 'NoStatus', message: 'the operator has not reported on it yet' },
      { name: 'payments', reason: 'NotFound', message: 'no KafkaTopic of this name in the namespace' },
    ]);
  });

  it('given a Ready status from before the last change, when judged, then it waits for the new generation', () => {
    expect(notReadyTopics([topic('orders', ready, 2)], ['orders'])).toEqual([
      { name: 'orders', reason: 'NotReconciled', message: 'generation 2 not reconciled yet (status is of 1)' },
    ]);
  });

  it('given a paused topic, when judged, then its condition type is the reason', () => {
    const paused = { conditions: [{ type: 'ReconciliationPaused', status: 'True' }], observedGeneration: 1 };

    expect(notReadyTopics([topic('orders', paused)], ['orders'])).toEqual([
      { name: 'orders', reason: 'ReconciliationPaused=True', message: '' },
    ]);
  });
});
