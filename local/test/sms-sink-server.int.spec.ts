import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smsSinkClient } from '../src/index.js';
import { createSmsSinkServer, MAX_REQUEST_BYTES } from '../src/sms-sink/server.js';
import { MessageStore } from '../src/sms-sink/store.js';

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(16).toString('hex');

interface Sink {
  readonly url: string;
  readonly store: MessageStore;
  stop(): Promise<void>;
}

async function startSink(file: string): Promise<Sink> {
  const store = await MessageStore.open(file);
  const server: Server = createSmsSinkServer({ accountSid, authToken, store });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
      await store.close();
    },
  };
}

function send(
  sink: Sink,
  fields: Record<string, string>,
  options: { token?: string; account?: string; password?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const account = options.account ?? accountSid;
  const credentials = Buffer.from(`${accountSid}:${options.password ?? authToken}`).toString('base64');
  return fetch(`${sink.url}/2010-04-01/Accounts/${account}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${credentials}`,
      ...(options.token === undefined ? {} : { 'i-twilio-idempotency-token': options.token }),
      ...options.headers,
    },
    body: new URLSearchParams(fields),
    signal: AbortSignal.timeout(5_000),
  });
}

const valid = { To: '+4915112345678', From: '+15005550006', Body: 'Your order shipped' };

describe('SMS sink server', () => {
  let dir: string;
  let file: string;
  let sink: Sink;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sms-sink-'));
    file = join(dir, 'messages.jsonl');
    sink = await startSink(file);
  });
  afterEach(async () => {
    await sink.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('given a valid form with the right credentials, when posted, then it answers 201 with the queued message', async () => {
    const response = await send(sink, valid);

    expect(response.status).toBe(201);
    const message = (await response.json()) as Record<string, unknown>;
    expect(message).toMatchObject({ status: 'queued', to: valid.To, from: valid.From, body: valid.Body });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('given one idempotency token twice, when posted, then both get the first message and one is recorded', async () => {
    const first = await send(sink, valid, { token: 'order-7-shipped' });
    const second = await send(sink, { ...valid, Body: 'a retry' }, { token: 'order-7-shipped' });

    expect(second.status).toBe(201);
    expect(await second.json()).toEqual(await first.json());
    expect(await smsSinkClient(sink.url).messages(valid.To)).toHaveLength(1);
  });

  it('given one idempotency token sent concurrently, when posted, then one message is recorded', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => send(sink, valid, { token: 'concurrent' })),
    );

    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await smsSinkClient(sink.url).messages(valid.To)).toHaveLength(1);
  });

  it('given a To that is not E.164, when posted, then it answers 400 with Twilio error 21211 and records nothing', async () => {
    const response = await send(sink, { ...valid, To: '0151 12345678' });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 21211,
      message: "The 'To' number 0151 12345678 is not a valid phone number.",
      more_info: 'https://www.twilio.com/docs/errors/21211',
      status: 400,
    });
    expect(await smsSinkClient(sink.url).messages()).toEqual([]);
  });

  it('given a wrong auth token, when posted, then it answers 401 with Twilio error 20003 and a Basic challenge', async () => {
    const response = await send(sink, valid, { password: 'not-the-token' });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
    expect(await response.json()).toMatchObject({ code: 20003, status: 401 });
  });

  it('given no credentials, when posted, then it answers 401', async () => {
    const response = await fetch(`${sink.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      body: new URLSearchParams(valid),
    });

    expect(response.status).toBe(401);
  });

  it("given another account's path, when posted with this account's credentials, then it answers 404", async () => {
    const response = await send(sink, valid, { account: `AC${'0'.repeat(32)}` });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 20404, status: 404 });
  });

  it('given a JSON body, when posted, then it answers 415 naming the form encoding', async () => {
    const response = await send(sink, valid, { headers: { 'content-type': 'application/json' } });

    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toContain('application/x-www-form-urlencoded');
  });

  it('given a body over the limit, when posted, then it answers 413 and records nothing', async () => {
    const response = await send(sink, { ...valid, Body: 'x'.repeat(MAX_REQUEST_BYTES) });

    expect(response.status).toBe(413);
    expect(await smsSinkClient(sink.url).messages()).toEqual([]);
  });

  it('given a chunked body that grows over the limit, when posted, then it answers 413 and records nothing', async () => {
    const chunk = new TextEncoder().encode(`Body=${'x'.repeat(16 * 1024)}`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        if (sent > 2 * MAX_REQUEST_BYTES) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${sink.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
      duplex: 'half',
      signal: AbortSignal.timeout(5_000),
    });

    expect(response.status).toBe(413);
    expect(await smsSinkClient(sink.url).messages()).toEqual([]);
  });

  it('given messages to two numbers, when listed by one and then cleared for it, then only the other stays', async () => {
    const client = smsSinkClient(sink.url);
    await send(sink, { ...valid, Body: 'first' });
    await send(sink, { ...valid, To: '+4915199999999' });
    await send(sink, { ...valid, Body: 'second' });

    expect((await client.messages(valid.To)).map((message) => message.body)).toEqual(['first', 'second']);
    expect(await client.clear(valid.To)).toBe(2);
    expect((await client.messages()).map((message) => message.to)).toEqual(['+4915199999999']);
    expect(await client.clear()).toBe(1);
    expect(await client.messages()).toEqual([]);
  });

  it('given recorded messages and a token, when the sink restarts on its file, then both are still there', async () => {
    await send(sink, valid, { token: 'kept' });
    await send(sink, { ...valid, To: '+4915199999999' });
    await smsSinkClient(sink.url).clear('+4915199999999');
    await sink.stop();
    sink = await startSink(file);

    expect((await smsSinkClient(sink.url).messages()).map((message) => message.to)).toEqual([valid.To]);
    const replay = await send(sink, valid, { token: 'kept' });
    expect(replay.status).toBe(201);
    expect(await smsSinkClient(sink.url).messages()).toHaveLength(1);
  });

  it('given a file whose last line was torn by a crash, when opened, then the whole lines are kept', async () => {
    await send(sink, valid);
    await sink.stop();
    await writeFile(file, `${await readFile(file, 'utf8')}{"message":{"sid":"SM`);
    sink = await startSink(file);

    expect(await smsSinkClient(sink.url).messages()).toHaveLength(1);
  });

  it('given an unknown path or method, when requested, then it answers 404 or 405 in the error shape', async () => {
    const missing = await fetch(`${sink.url}/nothing-here`);
    const wrongMethod = await fetch(`${sink.url}/messages`, { method: 'POST' });

    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 20404 });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, DELETE');
  });
});
