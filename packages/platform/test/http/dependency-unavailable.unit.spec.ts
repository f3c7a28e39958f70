import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import kafkajs from 'kafkajs';
import { MongoClient, MongoNetworkError, MongoNetworkTimeoutError, MongoOperationTimeoutError } from 'mongodb';
import pg from 'pg';
import request from 'supertest';
import {
  createHttpApp,
  createLogger,
  createPlatformMetrics,
  createPool,
  route,
  ServiceUnavailableError,
  withTransaction,
  type ReadinessCheck,
} from '../../src/index.js';
import { captureLines } from '../telemetry/capture.js';

const { Kafka, KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError } =
  kafkajs;
const PROBLEM = /^application\/problem\+json/;

/** An app whose one route fails the way `fail` does, and the log lines it writes. */
function appFailingWith(fail: () => Promise<unknown>, readiness: readonly ReadinessCheck[] = []) {
  const { destination, lines } = captureLines();
  const http = createHttpApp({
    service: 'user',
    logger: createLogger({ service: 'user', level: 'debug', destination }),
    metrics: createPlatformMetrics(),
    readiness,
    openapi: { version: '1.0.0' },
  });
  http.register(
    route({ method: 'get', path: '/api/things', responses: { 200: { description: 'Never' } } }, async ({ reply }) => {
      await fail();
      return reply(200);
    }),
  );
  return { app: http.app, lines };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A TCP server that does `onConnection` with every connection; it and its connections end after each test. */
const servers: { readonly server: Server; readonly sockets: Set<Socket> }[] = [];
async function tcpServer(onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  servers.push({ server, sockets });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}
afterEach(async () => {
  const closing = servers.splice(0).map(({ server, sockets }) => {
    const closed = new Promise((resolve) => server.close(resolve));
    sockets.forEach((socket) => socket.destroy());
    return closed;
  });
  await Promise.all(closing);
});

/** The error `attempt` fails with; the test fails if it succeeds or rejects with a non-error. */
async function errorOf(attempt: Promise<unknown>): Promise<Error> {
  const outcome = await attempt.then(
    () => 'success',
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected an error, got ${String(outcome)}`);
  return outcome;
}

/** The error of the first query through a pool for `port`; the pool is closed afterwards. */
async function pgFailure(port: number): Promise<Error> {
  const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'msa', password: 'hunter2' });
  try {
    return await errorOf(pool.query('select 1'));
  } finally {
    await pool.end();
  }
}

/** pg's parser builds a server's ErrorResponse this way: the message, then each field. */
function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  error.severity = 'FATAL';
  return error;
}

async function expectUnavailable(fail: () => Promise<unknown>, dependency: string): Promise<request.Response> {
  const { app, lines } = appFailingWith(fail);

  const res = await request(app).get('/api/things');

  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toMatch(PROBLEM);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.body).toEqual({
    type: 'about:blank',
    title: 'Service Unavailable',
    status: 503,
    detail: `${dependency} is unavailable; retry later`,
    dependency,
    instance: '/api/things',
    requestId: res.headers['x-request-id'],
  });
  expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', dependency, msg: 'dependency unavailable' }));
  return res;
}

describe('HTTP kit: a dependency that is down', () => {
  it('given a pool pointed at a closed port, when a route queries it, then 503 names postgres and leaks nothing', async () => {
    const port = await closedPort();
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'msa', password: 'hunter2' });

    try {
      const res = await expectUnavailable(() => pool.query('select 1'), 'postgres');

      expect(res.text).not.toMatch(new RegExp(`ECONNREFUSED|127\\.0\\.0\\.1|${port}|hunter2`));
    } finally {
      await pool.end();
    }
  });

  it('given a server that hangs up, when pg connects, then "Connection terminated unexpectedly" is a 503', async () => {
    const port = await tcpServer((socket) => socket.destroy());
    const error = await pgFailure(port);

    expect(error.message).toBe('Connection terminated unexpectedly');
    await expectUnavailable(() => Promise.reject(error), 'postgres');
  });

  it('given a server that never answers, when the connect times out or no client frees up, then both are 503s', async () => {
    const port = await tcpServer(() => undefined);
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'msa', connectionTimeoutMillis: 100, max: 1 });
    const [connecting, waiting] = await Promise.all([errorOf(pool.query('select 1')), errorOf(pool.query('select 1'))]);
    await pool.end();

    expect(connecting.message).toBe('Connection terminated due to connection timeout');
    expect(waiting.message).toBe('timeout exceeded when trying to connect');
    await expectUnavailable(() => Promise.reject(connecting), 'postgres');
    await expectUnavailable(() => Promise.reject(waiting), 'postgres');
  });

  it(
    'given the platform pool of one with its only connection taken, when a route needs another, then the checkout ends in a 503',
    async () => {
      const port = await tcpServer(() => undefined);
      const pool = createPool({
        connectionString: `postgres://msa@127.0.0.1:${port}/msa`,
        applicationName: 'http-test',
        logger: createLogger({ service: 'test', level: 'silent' }),
        max: 1,
        connectionTimeoutMs: 200,
      });
      // Takes the pool's one connection, to a server that never answers.
      const taking = errorOf(pool.connect());
      try {
        await expectUnavailable(() => withTransaction(pool, () => Promise.resolve()), 'postgres');
      } finally {
        await taking;
        await pool.end();
      }
    },
    // Without a bound on the checkout the request waits forever: fail well before jest's own timeout.
    5_000,
  );

  it.each([
    ['08006', 'connection failure'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection because of crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
  ])('given PostgreSQL answers SQLSTATE %s (%s), when a route meets it, then 503 names postgres', async (code, message) => {
    await expectUnavailable(() => Promise.reject(serverError(code, message)), 'postgres');
  });

  it('given a producer whose broker refuses connections, when its retries run out, then 503 names kafka', async () => {
    const kafka = new Kafka({
      brokers: [`127.0.0.1:${await closedPort()}`],
      retry: { retries: 0 },
      logCreator: () => () => undefined,
    });
    const error = await errorOf(kafka.producer().connect());

    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    await expectUnavailable(() => Promise.reject(error), 'kafka');
  });

  it('given kafkajs connection and request timeout errors, when a route meets them, then 503 names kafka', async () => {
    const broker = '127.0.0.1:19092';
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', { broker, code: 'ECONNREFUSED' });
    const timedOut = new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out', {
      broker,
      clientId: 'user-service',
      correlationId: 7,
      createdAt: Date.now(),
      sentAt: Date.now(),
      pendingDuration: 0,
    });

    await expectUnavailable(() => Promise.reject(refused), 'kafka');
    await expectUnavailable(() => Promise.reject(timedOut), 'kafka');
  });

  it('given a MongoDB client that selects no server, when a route reads, then 503 names mongo', async () => {
    const client = new MongoClient(`mongodb://127.0.0.1:${await closedPort()}/`, { serverSelectionTimeoutMS: 100 });
    try {
      await expectUnavailable(() => client.db('test').command({ ping: 1 }), 'mongo');
    } finally {
      await client.close();
    }
  });

  it('given MongoDB network errors, when a route meets them, then 503 names mongo', async () => {
    await expectUnavailable(() => Promise.reject(new MongoNetworkError('connection 3 to 127.0.0.1:27027 closed')), 'mongo');
    await expectUnavailable(
      () => Promise.reject(new MongoNetworkTimeoutError('connection 3 to 127.0.0.1:27027 timed out')),
      'mongo',
    );
  });

  it('given a MongoDB pool that gets no connection ready in time, when a route reads, then the checkout timeout is a 503 naming mongo', async () => {
    const port = await tcpServer(() => undefined);
    // Load-balanced, the driver monitors no server and goes straight to its pool, whose one
    // connection never finishes its handshake with a server that never answers.
    const client = new MongoClient(`mongodb://127.0.0.1:${port}/?loadBalanced=true`, {
      maxPoolSize: 1,
      waitQueueTimeoutMS: 100,
      connectTimeoutMS: 5_000,
    });
    try {
      const waited = await errorOf(client.db('test').command({ ping: 1 }));

      // The driver does not export the class, only reports it as the error's name.
      expect(waited.name).toBe('MongoWaitQueueTimeoutError');
      await expectUnavailable(() => Promise.reject(waited), 'mongo');
      // What the driver throws instead under a per-operation deadline, wrapping the same timeout.
      const deadline = new MongoOperationTimeoutError('Timed out during connection checkout', { cause: waited });
      await expectUnavailable(() => Promise.reject(deadline), 'mongo');
    } finally {
      await client.close();
    }
  });

  it('given Redis out of reach, when a command gives up retrying or the connection is closed, then 503 names redis', async () => {
    const port = await closedPort();
    const retrying = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0 });
    const closed = new Redis({ host: '127.0.0.1', port, retryStrategy: () => null });
    retrying.on('error', () => undefined);
    closed.on('error', () => undefined);
    try {
      const [gaveUp, wasClosed] = await Promise.all([errorOf(retrying.get('k')), errorOf(closed.get('k'))]);

      expect(gaveUp.name).toBe('MaxRetriesPerRequestError');
      expect(wasClosed.message).toBe('Connection is closed.');
      await expectUnavailable(() => Promise.reject(gaveUp), 'redis');
      await expectUnavailable(() => Promise.reject(wasClosed), 'redis');
    } finally {
      retrying.disconnect();
      closed.disconnect();
    }
  });

  it('given a Redis that accepts and then answers nothing, when a command outlives its timeout, then 503 names redis', async () => {
    const port = await tcpServer(() => undefined);
    const silent = new Redis({ host: '127.0.0.1', port, commandTimeout: 100, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    silent.on('error', () => undefined);
    try {
      const timedOut = await errorOf(silent.get('k'));

      expect(timedOut.message).toBe('Command timed out');
      await expectUnavailable(() => Promise.reject(timedOut), 'redis');
    } finally {
      silent.disconnect();
    }
  });

  it('given a service that finds a dependency down itself, when it throws the platform’s ServiceUnavailableError, then 503 names that dependency', async () => {
    const down = new ServiceUnavailableError('redis is unavailable; retry later', { dependency: 'redis' });

    await expectUnavailable(() => Promise.reject(down), 'redis');
  });

  it.each([
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a constraint violation', serverError('23505', 'duplicate key value violates unique constraint "users_email_key"')],
    [
      'kafkajs retries exhausted on an authorization error',
      new KafkaJSNumberOfRetriesExceeded(
        new KafkaJSProtocolError(
          Object.assign(new Error('Not authorized to access topics'), { type: 'TOPIC_AUTHORIZATION_FAILED', code: 29, retriable: false }),
        ),
        { retryCount: 0, retryTime: 0 },
      ),
    ],
  ])('given %s, when thrown, then it is still a bare 500 without Retry-After', async (_name, error) => {
    const { app } = appFailingWith(() => Promise.reject(error));

    const res = await request(app).get('/api/things');

    expect(res.status).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.body).not.toHaveProperty('dependency');
  });
});

describe('HTTP kit: readiness with a dependency down', () => {
  it('given postgres refuses connections, when /health/ready is asked, then 503 problem names it and why', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: await closedPort(), user: 'msa' });
    const { app } = appFailingWith(() => Promise.resolve(), [
      { name: 'postgres', check: () => pool.query('select 1') },
      { name: 'kafka', check: () => Promise.resolve() },
    ]);

    try {
      const res = await request(app).get('/health/ready');

      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({
        status: 503,
        detail: 'not ready: postgres',
        checks: [
          { name: 'postgres', status: 'down', reason: 'connection refused' },
          { name: 'kafka', status: 'up' },
        ],
      });
    } finally {
      await pool.end();
    }
  });
});
