import { generateSigningKey, loadConfig, loadRebuildConfig as loadServiceRebuildConfig, toVerificationJwk } from '@msa/platform';
import { configProblems, serviceEnvironment } from '@msa/platform/testing';
import { userService } from '../src/app.js';
import { userConfigSchema } from '../src/config.js';

/** What `main.js rebuild-read-model` reads of the environment. */
const loadRebuildConfig = (source: Record<string, string>) => loadServiceRebuildConfig(userService(), source);

async function validEnvironment(): Promise<Record<string, string>> {
  return { ...(await serviceEnvironment({ database: 'user', signingKid: 'user-2025-03' })), KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.2:19092' };
}


describe('User service configuration', () => {
  it('given only the required variables, when loaded, then the documented defaults apply', async () => {
    const config = loadConfig(userConfigSchema, await validEnvironment());

    expect(config).toMatchObject({
      PORT: 8081,
      KAFKA_BROKERS: ['127.0.0.1:19092', '127.0.0.2:19092'],
      MONGO_DATABASE: 'user',
      JWT_ISSUER: 'msa-ecommerce/user',
      JWT_AUDIENCE: 'msa-ecommerce',
      JWT_TTL: 3_600_000,
      ADMIN_EMAILS: [],
      PASSWORD_RESET_TTL: 30 * 60_000,
      LOG_LEVEL: 'info',
      INBOX_PRUNING: true,
      INBOX_RETENTION: 42 * 86_400_000,
      INBOX_PRUNE_INTERVAL: 3_600_000,
      INBOX_PRUNE_BATCH_SIZE: 1_000,
      MONGO_TIMEOUT: 5_000,
    });
    expect(String(config.DATABASE_URL)).toBe('[redacted]');
  });

  it('given an admin list, when loaded, then each address is validated and named by position', async () => {
    const env = { ...(await validEnvironment()), ADMIN_EMAILS: 'ops@example.com,not-an-email' };

    expect(configProblems(() => loadConfig(userConfigSchema, env))).toEqual([
      { variable: 'ADMIN_EMAILS[1]', message: 'Invalid email address' },
    ]);
  });

  it('given a missing database URL and a bad port, when loaded, then start-up stops naming both', async () => {
    const env = { ...(await validEnvironment()), PORT: 'http', DATABASE_URL: undefined };

    expect(configProblems(() => loadConfig(userConfigSchema, env))).toEqual([
      { variable: 'DATABASE_URL', message: 'required but not set' },
      { variable: 'PORT', message: 'expected an integer, got "http"' },
    ]);
  });

  it('given an inbox retention of a few hours, when loaded, then start-up stops naming INBOX_RETENTION', async () => {
    const env = { ...(await validEnvironment()), INBOX_RETENTION: '6h' };

    expect(configProblems(() => loadConfig(userConfigSchema, env))).toEqual([
      {
        variable: 'INBOX_RETENTION',
        message: "must be at least 86400000 ms (1 day), and more than the topics' retention plus their DLTs'",
      },
    ]);
  });

  it('given no outbox relay settings, when loaded, then the relay’s documented defaults apply', async () => {
    expect(loadConfig(userConfigSchema, await validEnvironment())).toMatchObject({
      OUTBOX_LEADER_TIMEOUT: 6_000,
      OUTBOX_LEADER_RETRY: 2_000,
      OUTBOX_BATCH_SIZE: 1_000,
      OUTBOX_BATCH_MAX_BYTES: 1_000_000,
    });
  });

  it('given no consumer session timeout, when loaded, then Kafka gives a dead member 6 s, the broker’s least', async () => {
    expect(loadConfig(userConfigSchema, await validEnvironment())).toMatchObject({ CONSUMER_SESSION_TIMEOUT: 6_000 });
  });

  it('given a consumer session timeout under the broker’s 6 s minimum, when loaded, then start-up stops naming CONSUMER_SESSION_TIMEOUT', async () => {
    const env = { ...(await validEnvironment()), CONSUMER_SESSION_TIMEOUT: '3s' };

    expect(configProblems(() => loadConfig(userConfigSchema, env))).toEqual([{ variable: 'CONSUMER_SESSION_TIMEOUT', message: 'expected from 6s to 5m' }]);
  });

  it('given a relay leader timeout under a second, when loaded, then start-up stops naming OUTBOX_LEADER_TIMEOUT', async () => {
    const env = { ...(await validEnvironment()), OUTBOX_LEADER_TIMEOUT: '200ms' };

    expect(configProblems(() => loadConfig(userConfigSchema, env))).toEqual([
      { variable: 'OUTBOX_LEADER_TIMEOUT', message: 'must be at least 1000 ms (1 s)' },
    ]);
  });

  it('given a reset link lifetime of 10 seconds or of a week, when loaded, then start-up stops naming PASSWORD_RESET_TTL', async () => {
    for (const [ttl, message] of [
      ['10s', 'must be at least 1m'],
      ['7d', 'must be at most 1d'],
    ] as const) {
      const env = { ...(await validEnvironment()), PASSWORD_RESET_TTL: ttl };

      expect(configProblems(() => loadConfig(userConfigSchema, env))).toEqual([{ variable: 'PASSWORD_RESET_TTL', message }]);
    }
  });

  it('given a reset link lifetime of 15 minutes, when loaded, then it is 900000 ms', async () => {
    const env = { ...(await validEnvironment()), PASSWORD_RESET_TTL: '15m' };

    expect(loadConfig(userConfigSchema, env).PASSWORD_RESET_TTL).toBe(900_000);
  });

  it('given public keys without the signing key, when loaded, then JWT_PUBLIC_KEYS is named', async () => {
    const other = await generateSigningKey({ kid: 'user-2025-03' });
    const env = { ...(await validEnvironment()), JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(other)] }) };

    expect(configProblems(() => loadConfig(userConfigSchema, env))).toEqual([
      { variable: 'JWT_PUBLIC_KEYS', message: 'must include the public half of JWT_PRIVATE_KEY under its kid "user-2025-03"' },
    ]);
  });

  it('given a MongoDB timeout of a few ms or none at all, when loaded, then the service and the rebuild stop naming MONGO_TIMEOUT', async () => {
    const tooShort = { ...(await validEnvironment()), MONGO_TIMEOUT: '20ms' };
    const unbounded = { ...(await validEnvironment()), MONGO_TIMEOUT: '0s' };

    expect(configProblems(() => loadConfig(userConfigSchema, tooShort))).toEqual([{ variable: 'MONGO_TIMEOUT', message: 'must be at least 100ms' }]);
    expect(configProblems(() => loadRebuildConfig(unbounded))).toEqual([{ variable: 'MONGO_TIMEOUT', message: 'must be at least 100ms' }]);
    expect(loadRebuildConfig({ ...tooShort, MONGO_TIMEOUT: '2s' }).MONGO_TIMEOUT).toBe(2_000);
  });
});
