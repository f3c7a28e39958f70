import { inspect } from 'node:util';
import { z } from 'zod';
import { env, loadConfig, Secret } from '../../src/index.js';
import { configProblems } from '../../src/testing/index.js';

const schema = z.object({
  PORT: env.port().default(8081),
  DATABASE_URL: env.url({ protocols: ['postgres:', 'postgresql:'] }),
  REQUEST_TIMEOUT: env.duration().default(30_000),
  KAFKA_BROKERS: env.list(),
  TRACING_ENABLED: env.boolean().default(false),
  DATABASE_PASSWORD: env.secret(),
  LOG_LEVEL: env.logLevel().default('info'),
});

const valid = {
  DATABASE_URL: 'postgres://db:5432/users',
  KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092,',
  DATABASE_PASSWORD: 'hunter2',
};


describe('loadConfig', () => {
  it('given valid variables, when loaded, then values are typed and defaults fill the gaps', () => {
    const config = loadConfig(schema, { ...valid, REQUEST_TIMEOUT: '5s', TRACING_ENABLED: 'Yes' });

    expect(config.PORT).toBe(8081);
    expect(config.REQUEST_TIMEOUT).toBe(5_000);
    expect(config.KAFKA_BROKERS).toEqual(['kafka-0:9092', 'kafka-1:9092']);
    expect(config.TRACING_ENABLED).toBe(true);
    expect(config.DATABASE_PASSWORD.reveal()).toBe('hunter2');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('given a port that is not a number, when loaded, then the error names the variable and the value', () => {
    const problems = configProblems(() => loadConfig(schema, { ...valid, PORT: 'abc' }));

    expect(problems).toEqual([{ variable: 'PORT', message: 'expected an integer, got "abc"' }]);
  });

  it('given several bad variables, when loaded, then every one is reported at once', () => {
    const run = () =>
      loadConfig(schema, { KAFKA_BROKERS: ' , ', REQUEST_TIMEOUT: '30 seconds', DATABASE_URL: 'http://x' });

    expect(configProblems(run).map((p) => p.variable)).toEqual([
      'DATABASE_URL',
      'REQUEST_TIMEOUT',
      'KAFKA_BROKERS',
      'DATABASE_PASSWORD',
    ]);
    expect(run).toThrow(/REQUEST_TIMEOUT: expected a duration such as 500ms/);
    expect(run).toThrow(/DATABASE_URL: expected a URL with scheme postgres: or postgresql:, got http:/);
    expect(run).toThrow(/DATABASE_PASSWORD: required but not set/);
  });

  it('given an empty string, when loaded, then it counts as unset and the default applies', () => {
    const config = loadConfig(schema, { ...valid, PORT: '' });

    expect(config.PORT).toBe(8081);
  });

  it('given a list item that fails its own schema, when loaded, then the item is named', () => {
    const brokers = z.object({ BROKERS: env.list(z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port')) });

    const problems = configProblems(() => loadConfig(brokers, { BROKERS: 'a:1,b' }));

    expect(problems).toEqual([{ variable: 'BROKERS[1]', message: 'expected host:port' }]);
  });

  it('given a malformed URL holding a password, when loaded, then the message does not echo it', () => {
    const run = () => loadConfig(schema, { ...valid, DATABASE_URL: 'postgres//user:s3cret@db' });

    expect(run).toThrow(/DATABASE_URL: expected an absolute URL/);
    expect(run).not.toThrow(/s3cret/);
  });

  it('given an integer outside its bounds, when loaded, then the bounds are stated', () => {
    const pool = z.object({ POOL_SIZE: env.integer({ min: 1, max: 100 }) });

    expect(() => loadConfig(pool, { POOL_SIZE: '0' })).toThrow(/POOL_SIZE: expected an integer from 1 to 100, got 0/);
  });

  it('given a word that is not a boolean, when loaded, then the accepted words are listed', () => {
    expect(() => loadConfig(schema, { ...valid, TRACING_ENABLED: 'maybe' })).toThrow(
      /TRACING_ENABLED: expected true\/false, yes\/no, on\/off or 1\/0, got "maybe"/,
    );
  });
});

describe('Secret', () => {
  it('given a secret, when serialised, printed or inspected, then the value never shows', () => {
    const secret = new Secret('hunter2');

    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(String(secret)).toBe('[redacted]');
    expect(inspect({ secret })).not.toContain('hunter2');
    expect(secret.reveal()).toBe('hunter2');
  });
});
