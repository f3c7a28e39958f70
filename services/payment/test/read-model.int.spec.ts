import { randomUUID } from 'node:crypto';
import { mongoReadModel, rebuildReadModels, type RebuildResult } from '@msa/platform';
import { SANDBOX_TOKENS } from '../src/adapters/gateway/sandbox.js';
import { type PaymentDocument, paymentReadModel } from '../src/adapters/mongo/payment-read-model.js';
import { paymentService } from '../src/app.js';
import { orderConfirmed } from './support/events.js';
import { eventually, SERVER_TEST_TIMEOUT_MS, startPaymentService, type TestPaymentService } from './support/service.js';

describe('Payments read model: projection from Kafka and rebuild from the event store', () => {
  let service: TestPaymentService;

  beforeAll(async () => {
    service = await startPaymentService();
  }, SERVER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await service.close();
  }, SERVER_TEST_TIMEOUT_MS);

  async function readModel(): Promise<PaymentDocument[]> {
    const collection = await mongoReadModel(service.mongo, paymentReadModel).collection();
    return collection.find({}).sort({ _id: 1 }).toArray();
  }

  /** The read model once it holds `count` payments, none of them initiated any more. */
  const settled = (count: number) =>
    eventually(async () => {
      const documents = await readModel();
      return documents.length === count && documents.every((document) => document.status !== 'INITIATED') ? documents : undefined;
    });

  it('given settled payments, when the read model is rebuilt from the event history, then the rebuilt collection equals it, serves, and takes new payments', async () => {
    const tokens = [SANDBOX_TOKENS.succeeds, SANDBOX_TOKENS.declines, SANDBOX_TOKENS.succeeds, SANDBOX_TOKENS.insufficientFunds];
    for (const token of tokens) await service.publish(orderConfirmed(randomUUID(), token));
    const before = await settled(4);

    // As `main.js rebuild-read-model payments` runs it, with the service's configuration.
    const progress: string[] = [];
    const [result] = (await rebuildReadModels(paymentService(), service.config, {
      readModel: 'payments',
      logger: service.logger,
      progress: (line) => progress.push(line),
      retireAfterMs: 100,
    })) as [RebuildResult];

    expect(result.events).toBe(8);
    expect(progress.at(-1)).toMatch(/^payments: done, events applied: 8; payments_rebuilt_\w+ serves, payments dropped$/);
    expect(await readModel()).toEqual(before);

    const late = orderConfirmed(randomUUID(), SANDBOX_TOKENS.succeeds);
    await service.publish(late);
    const after = await settled(5);
    expect(after.find((document) => document.orderId === late.payload.orderId)).toMatchObject({ status: 'COMPLETED' });
  }, SERVER_TEST_TIMEOUT_MS);
});
