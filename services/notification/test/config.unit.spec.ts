import { loadConfig } from '@msa/platform';
import { configProblems, serviceEnvironment } from '@msa/platform/testing';
import webpush from 'web-push';
import { notificationConfigSchema } from '../src/config.js';

const vapid = webpush.generateVAPIDKeys();

async function validEnvironment(): Promise<Record<string, string>> {
  return {
    ...(await serviceEnvironment({ database: 'notification' })),
    APP_BASE_URL: 'https://shop.example.com/',
    SMTP_URL: 'smtp://127.0.0.1:11025',
    SMTP_FROM: 'MSA Shop <no-reply@shop.example>',
    SMS_API_URL: 'http://127.0.0.1:18090',
    SMS_ACCOUNT_ID: 'AC-local',
    SMS_AUTH_TOKEN: 'local-token',
    SMS_FROM: '+15005550006',
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:ops@shop.example',
  };
}

describe('Notification service configuration', () => {
  it('given only the required variables, when loaded, then the documented defaults apply', async () => {
    const config = loadConfig(notificationConfigSchema, await validEnvironment());

    expect(config).toMatchObject({
      PORT: 8086,
      MONGO_DATABASE: 'notification',
      APP_BASE_URL: 'https://shop.example.com',
      ADMIN_ALERT_EMAILS: [],
      PUSH_ALLOW_LOOPBACK_HTTP: false,
      SENDER_POLL_INTERVAL: 1_000,
      SENDER_BATCH_SIZE: 20,
      SENDER_MAX_ATTEMPTS: 10,
      SENDER_BACKOFF_BASE: 15_000,
      SENDER_BACKOFF_MAX: 900_000,
      SENDER_ATTEMPT_TIMEOUT: 30_000,
      SENDER_LEASE: 120_000,
    });
    expect(String(config.SMTP_URL)).toBe('[redacted]');
    expect(String(config.VAPID_PRIVATE_KEY)).toBe('[redacted]');
  });

  it('given channel settings that cannot work, when loaded, then each variable is named', async () => {
    const env = {
      ...(await validEnvironment()),
      SMTP_URL: 'http://mail.example.com',
      SMS_FROM: '010-1234-5678',
      VAPID_PUBLIC_KEY: 'c2hvcnQ',
      VAPID_SUBJECT: 'ops@shop.example',
    };

    expect(configProblems(() => loadConfig(notificationConfigSchema, env)).map((p) => p.variable).sort()).toEqual([
      'SMS_FROM',
      'SMTP_URL',
      'VAPID_PUBLIC_KEY',
      'VAPID_SUBJECT',
    ]);
  });

  it('given an admin list, when loaded, then each address is validated and named by position', async () => {
    const env = { ...(await validEnvironment()), ADMIN_ALERT_EMAILS: 'ops@example.com, stock' };

    expect(configProblems(() => loadConfig(notificationConfigSchema, env))).toEqual([{ variable: 'ADMIN_ALERT_EMAILS[1]', message: 'Invalid email address' }]);
  });

  it('given no shop address, when loaded, then start-up stops naming APP_BASE_URL', async () => {
    const env = await validEnvironment();
    delete env.APP_BASE_URL;

    expect(configProblems(() => loadConfig(notificationConfigSchema, env)).map((p) => p.variable)).toEqual(['APP_BASE_URL']);
  });

  it('given sender settings out of bounds, when loaded, then each is named', async () => {
    const env = { ...(await validEnvironment()), SENDER_BATCH_SIZE: '0', SENDER_MAX_ATTEMPTS: 'ten', SENDER_POLL_INTERVAL: 'soon' };

    expect(configProblems(() => loadConfig(notificationConfigSchema, env)).map((p) => p.variable).sort()).toEqual([
      'SENDER_BATCH_SIZE',
      'SENDER_MAX_ATTEMPTS',
      'SENDER_POLL_INTERVAL',
    ]);
  });

  it('given a lease no longer than an attempt, when loaded, then SENDER_LEASE is refused: a second sender could send the message too', async () => {
    const env = { ...(await validEnvironment()), SENDER_ATTEMPT_TIMEOUT: '30s', SENDER_LEASE: '30s' };

    expect(configProblems(() => loadConfig(notificationConfigSchema, env))).toEqual([
      { variable: 'SENDER_LEASE', message: 'must be longer than SENDER_ATTEMPT_TIMEOUT' },
    ]);
  });

  it('given a backoff cap below its base, when loaded, then SENDER_BACKOFF_MAX is refused', async () => {
    const env = { ...(await validEnvironment()), SENDER_BACKOFF_BASE: '1m', SENDER_BACKOFF_MAX: '30s' };

    expect(configProblems(() => loadConfig(notificationConfigSchema, env))).toEqual([
      { variable: 'SENDER_BACKOFF_MAX', message: 'must be at least SENDER_BACKOFF_BASE' },
    ]);
  });
});
