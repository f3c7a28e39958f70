import request, { type Response } from 'supertest';
import { testApp, USER_ID } from './fixture.js';

const PROBLEM = /^application\/problem\+json/;

function bodyOf(res: Response): Record<string, unknown> {
  return res.body as Record<string, unknown>;
}

describe('HTTP kit: validation and problems', () => {
  const { http, lines } = testApp();

  it('given a body with a malformed email, when posted, then 400 problem+json names body.email', async () => {
    const res = await request(http.app).post('/api/users').send({ email: 'not-an-email', password: 'long-enough' });

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'invalid body.email',
      instance: '/api/users',
      requestId: res.headers['x-request-id'],
      errors: [{ field: 'body.email', message: 'Invalid email address' }],
    });
  });

  it('given a missing field and a wrong type, when posted, then both fields are named at once', async () => {
    const res = await request(http.app).post('/api/users').send({ email: 'ada@example.com', age: 'forty' });

    expect(res.status).toBe(400);
    expect(bodyOf(res).errors).toEqual([
      { field: 'body.password', message: 'Required' },
      { field: 'body.age', message: 'Invalid input: expected number, received string' },
    ]);
  });

  it('given malformed JSON, when posted, then 400 names the body without echoing the parser', async () => {
    const res = await request(http.app).post('/api/users').set('content-type', 'application/json').send('{"email": ');

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ detail: 'the request body is not valid JSON', errors: [{ field: 'body', message: 'malformed JSON' }] });
  });

  it('given no body at all, when posted, then 400 says the body is required', async () => {
    const res = await request(http.app).post('/api/users');

    expect(res.status).toBe(400);
    expect(bodyOf(res).errors).toEqual([{ field: 'body', message: 'Required' }]);
  });

  it('given a body that is not JSON, when posted, then 415', async () => {
    const res = await request(http.app).post('/api/users').set('content-type', 'text/plain').send('email=a');

    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('given a body over the limit, when posted, then 413', async () => {
    const res = await request(http.app).post('/api/users').send({ email: 'a@b.cd', password: 'x'.repeat(2048) });

    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('given a path parameter of the wrong shape, when requested, then 400 names params.id', async () => {
    const res = await request(http.app).get('/api/users/42');

    expect(res.status).toBe(400);
    expect(bodyOf(res).errors).toEqual([{ field: 'params.id', message: 'Invalid UUID' }]);
  });

  it('given a query value that is not a number, when requested, then 400 names query.page', async () => {
    const ok = await request(http.app).get('/api/users?page=3');
    const bad = await request(http.app).get('/api/users?page=three');

    expect(ok.body).toEqual({ page: 3 });
    expect(bad.status).toBe(400);
    expect(bodyOf(bad).errors).toEqual([{ field: 'query.page', message: 'Invalid input: expected number, received NaN' }]);
  });

  it('given an unknown route, when requested, then 404 problem+json', async () => {
    const res = await request(http.app).get('/api/nothing-here?x=1');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ title: 'Not Found', status: 404, instance: '/api/nothing-here' });
  });

  it('given a handler that throws NotFoundError, when requested, then 404 with its detail', async () => {
    const res = await request(http.app).get('/api/users/00000000-0000-4000-8000-000000000000');

    expect(res.status).toBe(404);
    expect(bodyOf(res).detail).toBe('no user 00000000-0000-4000-8000-000000000000');
  });

  it('given a handler that throws ConflictError, when posted, then 409 problem+json', async () => {
    const res = await request(http.app).post('/api/users').send({ email: 'taken@example.com', password: 'long-enough' });

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ title: 'Conflict', detail: 'the email is already registered' });
  });

  it('given a domain error the service maps, when thrown, then it becomes the mapped 409', async () => {
    const res = await request(http.app).post('/api/users').send({ email: 'stale@example.com', password: 'long-enough' });

    expect(res.status).toBe(409);
    expect(bodyOf(res).detail).toBe('the user changed meanwhile');
  });

  it('given an unexpected error, when thrown, then 500 reveals neither message nor stack, and it is logged', async () => {
    const res = await request(http.app).get('/boom');

    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/boom',
      requestId: res.headers['x-request-id'],
    });
    expect(res.text).not.toMatch(/hunter2|ECONNREFUSED|at /);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'request failed unexpectedly' }));
  });

  it('given a reply carrying fields its schema lacks, when sent, then they are stripped', async () => {
    const res = await request(http.app).post('/api/users').send({ email: 'ada@example.com', password: 'long-enough' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: USER_ID, email: 'ada@example.com' });
    expect(res.headers.location).toBe(`/api/users/${USER_ID}`);
  });

  it('given a status declared without a body, when replied, then nothing is sent', async () => {
    const res = await request(http.app).delete(`/api/users/${USER_ID}`);

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });
});

describe('HTTP kit: request ids and access logs', () => {
  const { http, lines } = testApp();

  it('given a caller request id, when requested, then it is echoed and on the access log line', async () => {
    const res = await request(http.app).get(`/api/users/${USER_ID}`).set('x-request-id', 'req-abc.1');

    expect(res.headers['x-request-id']).toBe('req-abc.1');
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        requestId: 'req-abc.1',
        method: 'GET',
        route: '/api/users/:id',
        status: 200,
      }),
    );
  });

  it('given no or an unsafe request id, when requested, then a UUID is generated', async () => {
    const none = await request(http.app).get('/health/live');
    const unsafe = await request(http.app).get('/health/live').set('x-request-id', '<script>alert(1)</script>');

    for (const res of [none, unsafe]) expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
