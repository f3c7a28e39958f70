import { createServer, type AddressInfo } from 'node:net';
import { Admin } from '@platformatic/kafka';
import { pino, type DestinationStream } from 'pino';
import { logClientEvents } from '../../src/kafka/client-log.js';

/** A pino logger at `level` whose lines are kept, parsed, with level names instead of numbers. */
function capturingLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination: DestinationStream = {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  const logger = pino({ level, formatters: { level: (label) => ({ level: label }) } }, destination);
  return { lines, logger: logger.child({ component: 'kafka-client' }) };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const broker = { broker: { host: '127.0.0.1', port: 19092 }, connection: {} };

describe('the Kafka client’s logs', () => {
  it('given the client’s connection events, when emitted, then pino writes them at their levels in the component’s logger', () => {
    const { lines, logger } = capturingLogger('debug');
    const admin = new Admin({ clientId: 'log-test', bootstrapBrokers: ['127.0.0.1:19092'] });
    logClientEvents(admin, logger);

    admin.emit('client:broker:connect', broker);
    admin.emit('client:broker:failed', broker);
    admin.emit('client:performWithRetry:retry', 'createTopics', 0, 2, 200);

    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', component: 'kafka-client', broker: '127.0.0.1:19092', msg: 'connected to Kafka broker' }),
      expect.objectContaining({ level: 'warn', component: 'kafka-client', broker: '127.0.0.1:19092', msg: 'could not connect to Kafka broker' }),
      expect.objectContaining({ level: 'debug', operation: 'createTopics', attempt: 0, retries: 2, delayMs: 200, msg: 'retrying Kafka request' }),
    ]);
    expect(lines[0]).not.toHaveProperty('connection');
  });

  it('given a logger at warn, when the client reports routine work, then nothing is written', () => {
    const { lines, logger } = capturingLogger('warn');
    const admin = new Admin({ clientId: 'log-test', bootstrapBrokers: ['127.0.0.1:19092'] });
    logClientEvents(admin, logger);

    admin.emit('client:broker:connect', broker);
    admin.emit('client:metadata', {});
    admin.emit('client:close');

    expect(lines).toEqual([]);
  });

  it('given a broker that refuses connections, when the client asks it, then its own failure reaches pino as a warning', async () => {
    const { lines, logger } = capturingLogger('debug');
    const port = await closedPort();
    const admin = new Admin({ clientId: 'log-test', bootstrapBrokers: [`127.0.0.1:${port}`], retries: 0 });
    logClientEvents(admin, logger);

    await expect(admin.metadata({ topics: ['t'] })).rejects.toThrow();
    await admin.close();

    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', broker: `127.0.0.1:${port}`, msg: 'could not connect to Kafka broker' }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'debug', operation: 'metadata', msg: 'Kafka request failed' }));
  });
});
