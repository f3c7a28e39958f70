import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, repoRoot, smsSinkClient, within } from '../src/index.js';

// The built program, as local/up runs it (npm test builds before it runs the specs).
const program = join(repoRoot, 'local/dist/src/cli/sms-sink.js');
const accountSid = `AC${'1'.repeat(32)}`;
const authToken = '2'.repeat(32);

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('SMS sink program', () => {
  let stateDir: string;
  let port: number;
  let child: ChildProcess | undefined;
  let output = '';

  function start(): ChildProcess {
    output = '';
    const started = spawn('node', [program], {
      env: { ...process.env, MSA_STATE_DIR: stateDir, MSA_SMS_SINK_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return started;
  }

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'sms-sink-state-'));
    port = await freePort();
  });
  afterEach(async () => {
    if (child?.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await rm(stateDir, { recursive: true, force: true });
  });

  it('given its credentials in the state dir, when started and then sent SIGTERM, then it served them and exits 0 with the message on disk', async () => {
    await mkdir(join(stateDir, 'secrets'));
    await writeFile(join(stateDir, 'secrets', 'sms-sink.json'), JSON.stringify({ accountSid, authToken }));
    child = start();
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => ((await fetch(`${url}/health`).catch(() => undefined))?.ok ? true : undefined), 10_000);

    const created = await fetch(`${url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
      body: new URLSearchParams({ To: '+4915112345678', From: '+15005550006', Body: 'kept' }),
    });
    expect(created.status).toBe(201);
    expect(await smsSinkClient(url).messages()).toHaveLength(1);

    child.kill('SIGTERM');
    const [code] = (await within(5_000, once(child, 'exit'))) as [number | null];

    expect(code).toBe(0);
    expect(await readFile(join(stateDir, 'sms-sink', 'messages.jsonl'), 'utf8')).toContain('"body":"kept"');
  });

  it('given no credentials file, when started, then it exits non-zero naming the file', async () => {
    child = start();
    const [code] = (await within(10_000, once(child, 'exit'))) as [number | null];

    expect(code).not.toBe(0);
    expect(output).toContain(join(stateDir, 'secrets', 'sms-sink.json'));
  });
});
