import { logLevel, type LogEntry } from 'kafkajs';
import { createLogger } from '../../src/telemetry/logger.js';
import { pinoLogCreator } from '../../src/kafka/log-creator.js';
import { captureLines } from '../telemetry/capture.js';

const LABELS = { [logLevel.NOTHING]: 'NOTHING', [logLevel.ERROR]: 'ERROR', [logLevel.WARN]: 'WARN', [logLevel.INFO]: 'INFO', [logLevel.DEBUG]: 'DEBUG' };

/** An entry as kafkajs's logger builds it. */
function entry(level: logLevel, message: string, fields: Record<string, unknown> = {}): LogEntry {
  return {
    namespace: 'Connection',
    level,
    label: LABELS[level],
    log: { timestamp: '2025-03-01T09:30:00.000Z', logger: 'kafkajs', message, ...fields },
  };
}

describe('kafkajs log entries through pino', () => {
  it('given a kafkajs warning with fields, when logged, then it is one line of the kafkajs component with the fields as the object', () => {
    const { destination, lines } = captureLines();
    const write = pinoLogCreator(createLogger({ service: 'user', destination }))(logLevel.WARN);

    write(entry(logLevel.WARN, 'Response Metadata', { broker: '127.0.0.1:19092', clientId: 'user-service', retryCount: 2 }));

    expect(lines).toEqual([
      expect.objectContaining({
        service: 'user',
        component: 'kafkajs',
        level: 'warn',
        namespace: 'Connection',
        broker: '127.0.0.1:19092',
        clientId: 'user-service',
        retryCount: 2,
        msg: 'Response Metadata',
      }),
    ]);
    expect(lines[0]).not.toHaveProperty('timestamp');
    expect(lines[0]).not.toHaveProperty('logger');
  });

  it('given each kafkajs level, when logged, then pino writes it at the level of the same name', () => {
    const { destination, lines } = captureLines();
    const write = pinoLogCreator(createLogger({ service: 'user', level: 'debug', destination }))(logLevel.DEBUG);

    write(entry(logLevel.ERROR, 'Crash'));
    write(entry(logLevel.WARN, 'Retrying'));
    write(entry(logLevel.INFO, 'Starting'));
    write(entry(logLevel.DEBUG, 'Request Metadata'));

    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      ['error', 'Crash'],
      ['warn', 'Retrying'],
      ['info', 'Starting'],
      ['debug', 'Request Metadata'],
    ]);
  });

  it('given a logger at warn, when kafkajs logs info, then nothing is written', () => {
    const { destination, lines } = captureLines();
    const write = pinoLogCreator(createLogger({ service: 'user', level: 'warn', destination }))(logLevel.INFO);

    write(entry(logLevel.INFO, 'Consumer has joined the group'));

    expect(lines).toEqual([]);
  });

  it('given kafkajs’s warning about an idempotent producer’s bounded retries, which the platform answers by design, when logged, then it is a debug line', () => {
    const { destination, lines } = captureLines();
    const write = pinoLogCreator(createLogger({ service: 'user', level: 'debug', destination }))(logLevel.WARN);

    write(entry(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'));

    expect(lines.map((line) => [line.level, line.msg])).toEqual([['debug', 'Limiting retries for the idempotent producer may invalidate EoS guarantees']]);
  });
});
