import request from 'supertest';
import {
  ConcurrencyError,
  ConflictError,
  createHttpApp,
  createLogger,
  createPlatformMetrics,
  NotFoundError,
  type ProblemError,
  route,
} from '../../src/index.js';
import { AggregateAlreadyExists, AggregateNotFound, FieldsRefused, InvalidFields, ValueTaken } from '../../src/domain/index.js';
import { captureLines } from '../telemetry/capture.js';

// Every aggregate meets a missing stream, a duplicate creation, refused fields and a conflict its
// command handler's retries could not absorb; the kit answers
// them alike for every service, unless the service maps them itself.
function appThrowing(error: Error, mapError?: (error: unknown) => ProblemError | undefined) {
  const { destination } = captureLines();
  const http = createHttpApp({
    service: 'order',
    logger: createLogger({ service: 'order', level: 'debug', destination }),
    metrics: createPlatformMetrics(),
    openapi: { title: 'Order service', version: '1.0.0' },
    ...(mapError === undefined ? {} : { mapError }),
  });
  http.register(
    route({ method: 'post', path: '/api/orders', responses: { 201: { description: 'Placed' } }, problems: [404, 409, 422] }, () => {
      throw error;
    }),
  );
  return request(http.app).post('/api/orders');
}

class OrderNotFound extends AggregateNotFound {
  constructor(readonly orderId: string) {
    super('order', orderId);
  }
}

describe('the rejections every aggregate shares, reaching the HTTP kit', () => {
  it('given a stream with no such aggregate, when thrown, then 404 problem+json with the domain’s message', async () => {
    const res = await appThrowing(new AggregateNotFound('order', 'o-1'));

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, detail: 'order o-1 does not exist' });
  });

  it('given a subclass named in the domain’s terms, when thrown, then the same 404 and it logs under its own name', async () => {
    const error = new OrderNotFound('o-2');

    expect(error.name).toBe('OrderNotFound');
    expect((await appThrowing(error)).body).toMatchObject({ status: 404, detail: 'order o-2 does not exist' });
  });

  it('given a creation on a stream that holds the aggregate, when thrown, then 409 with the domain’s message', async () => {
    const res = await appThrowing(new AggregateAlreadyExists('order', 'o-1', 'order o-1 is already placed'));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, detail: 'order o-1 is already placed' });
  });

  it('given refused fields, when thrown, then 400 naming each one as body.<field> and the input as body', async () => {
    const rejected = new InvalidFields([
      { field: 'items[0].quantity', message: 'must be at least 1' },
      { field: 'currency', message: 'is not accepted' },
      { message: 'an order needs at least one item' },
    ]);

    const res = await appThrowing(rejected);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 400,
      detail: 'invalid items[0].quantity, currency, input',
      errors: [
        { field: 'body.items[0].quantity', message: 'must be at least 1' },
        { field: 'body.currency', message: 'is not accepted' },
        { field: 'body', message: 'an order needs at least one item' },
      ],
    });
  });

  it('given well-formed fields a rule refuses, when thrown, then 422 naming each one as body.<field>', async () => {
    const refused = new FieldsRefused([{ field: 'price', message: 'must not be under the cost' }], 'the price is under the cost');

    const res = await appThrowing(refused);

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      status: 422,
      detail: 'the price is under the cost',
      errors: [{ field: 'body.price', message: 'must not be under the cost' }],
    });
  });

  it('given a unique value another aggregate holds, when thrown, then 409 naming its field', async () => {
    const res = await appThrowing(new ValueTaken('sku', 'the SKU belongs to another product'));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      status: 409,
      detail: 'the SKU belongs to another product',
      errors: [{ field: 'body.sku', message: 'is already taken' }],
    });
  });

  it('given a service that maps the rejection, when thrown, then the service’s own problem wins', async () => {
    const mapError = (error: unknown) => (error instanceof AggregateNotFound ? new NotFoundError('no such order') : undefined);

    const res = await appThrowing(new AggregateNotFound('order', 'o-1'), mapError);

    expect(res.body).toMatchObject({ status: 404, detail: 'no such order' });
  });

  it('given a ConcurrencyError the service does not map, when thrown, then 409 problem+json without the stream internals', async () => {
    const res = await appThrowing(new ConcurrencyError('order-1', 3, 4));

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, detail: 'the resource was changed by another request meanwhile; try again' });
    expect(JSON.stringify(res.body)).not.toContain('order-1');
  });

  it('given a ConcurrencyError the service maps, when thrown, then the service’s own problem wins', async () => {
    const mapped = (error: unknown) => (error instanceof ConcurrencyError ? new ConflictError('the order changed meanwhile') : undefined);

    const res = await appThrowing(new ConcurrencyError('order-1', 3, 4), mapped);

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ detail: 'the order changed meanwhile' });
  });
});
