import { loadConfig } from '@msa/platform';
import { configProblems } from '@msa/platform/testing';
import webpush from 'web-push';
import { z } from 'zod';
import { channelVariables, vapidKeysPaired } from '../../../src/adapters/channels/config.js';

/** The channel variables as the service's schema holds them. */
const schema = z.object(channelVariables).superRefine(vapidKeysPaired);
const load = (environment: Record<string, string | undefined>) => loadConfig(schema, environment);

const vapid = webpush.generateVAPIDKeys();

function required(): Record<string, string | undefined> {
  return {
    SMTP_URL: 'smtp://mailer:s3cret@127.0.0.1:11025',
    SMTP_FROM: 'MSA Shop <no-reply@shop.example>',
    SMS_ACCOUNT_ID: 'AC0123456789abcdef0123456789abcdef',
    SMS_AUTH_TOKEN: 'token-value',
    SMS_FROM: '+15005550006',
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:ops@shop.example',
  };
}

describe('Channel configuration', () => {
  it('given only the required variables, when loaded, then the documented defaults apply and the secrets stay hidden', () => {
    const config = load(required());

    expect(config).toMatchObject({
      SMTP_FROM: 'MSA Shop <no-reply@shop.example>',
      SMTP_CONNECTION_TIMEOUT: 10_000,
      SMTP_GREETING_TIMEOUT: 10_000,
      SMTP_SOCKET_TIMEOUT: 30_000,
      SMS_API_URL: 'https://api.twilio.com',
      SMS_TIMEOUT: 10_000,
      PUSH_TIMEOUT: 10_000,
      PUSH_TTL: 86_400_000,
    });
    expect(JSON.stringify([config.SMTP_URL, config.SMS_AUTH_TOKEN, config.VAPID_PRIVATE_KEY])).toBe('["[redacted]","[redacted]","[redacted]"]');
    expect(config.SMTP_URL.reveal()).toBe('smtp://mailer:s3cret@127.0.0.1:11025');
  });

  it('given none of them, when loaded, then start-up stops naming every required variable', () => {
    const problems = configProblems(() => load({}));

    expect(problems.map(({ variable }) => variable)).toEqual([
      'SMTP_URL',
      'SMTP_FROM',
      'SMS_ACCOUNT_ID',
      'SMS_AUTH_TOKEN',
      'SMS_FROM',
      'VAPID_PUBLIC_KEY',
      'VAPID_PRIVATE_KEY',
      'VAPID_SUBJECT',
    ]);
    expect(new Set(problems.map(({ message }) => message))).toEqual(new Set(['required but not set']));
  });

  it('given an SMTP URL of another scheme, when loaded, then SMTP_URL is named without echoing its credentials', () => {
    const problems = configProblems(() => load({ ...required(), SMTP_URL: 'https://mailer:s3cret@mail.example' }));

    expect(problems).toEqual([{ variable: 'SMTP_URL', message: 'expected a URL with scheme smtp: or smtps:, got https:' }]);
    expect(JSON.stringify(problems)).not.toContain('s3cret');
  });

  it.each(['no-reply', 'a@example.com, b@example.com', 'MSA Shop <not an address>'])('given the sender %j, when loaded, then SMTP_FROM is named', (from) => {
    expect(configProblems(() => load({ ...required(), SMTP_FROM: from }))).toEqual([
      { variable: 'SMTP_FROM', message: 'expected one address, as name@domain or Name <name@domain>' },
    ]);
  });

  it('given a bare sender address, when loaded, then it is accepted', () => {
    expect(load({ ...required(), SMTP_FROM: 'no-reply@shop.example' }).SMTP_FROM).toBe('no-reply@shop.example');
  });

  it('given a national number as the SMS sender, when loaded, then SMS_FROM is named', () => {
    expect(configProblems(() => load({ ...required(), SMS_FROM: '010-1234-5678' }))).toEqual([
      { variable: 'SMS_FROM', message: 'expected an E.164 number such as +15005550006' },
    ]);
  });

  it('given an account id that would break out of the URL path, when loaded, then SMS_ACCOUNT_ID is named', () => {
    expect(configProblems(() => load({ ...required(), SMS_ACCOUNT_ID: '../admin' }))).toEqual([
      { variable: 'SMS_ACCOUNT_ID', message: 'expected an account id of letters, digits, - and _' },
    ]);
  });

  it('given VAPID keys of the wrong sizes or alphabet, when loaded, then each key is named', () => {
    const environment = { ...required(), VAPID_PUBLIC_KEY: vapid.privateKey, VAPID_PRIVATE_KEY: `${vapid.privateKey}=` };

    expect(configProblems(() => load(environment))).toEqual([
      { variable: 'VAPID_PUBLIC_KEY', message: 'expected an uncompressed P-256 public key: 65 bytes as unpadded base64url' },
      { variable: 'VAPID_PRIVATE_KEY', message: 'expected a P-256 private key: 32 bytes as unpadded base64url' },
    ]);
  });

  it('given a public key that is not the private key’s half, when loaded, then VAPID_PUBLIC_KEY is named', () => {
    const environment = { ...required(), VAPID_PUBLIC_KEY: webpush.generateVAPIDKeys().publicKey };

    expect(configProblems(() => load(environment))).toEqual([{ variable: 'VAPID_PUBLIC_KEY', message: 'must be the public half of VAPID_PRIVATE_KEY' }]);
  });

  it('given a VAPID subject that is a plain http URL, when loaded, then VAPID_SUBJECT is named', () => {
    expect(configProblems(() => load({ ...required(), VAPID_SUBJECT: 'http://shop.example/contact' }))).toEqual([
      { variable: 'VAPID_SUBJECT', message: 'expected a URL with scheme mailto: or https:, got http:' },
    ]);
  });

  it('given timeouts outside their bounds and a TTL over 28 days, when loaded, then each is named', () => {
    const environment = { ...required(), SMS_TIMEOUT: '10ms', SMTP_SOCKET_TIMEOUT: '1h', PUSH_TTL: '60d' };

    expect(configProblems(() => load(environment))).toEqual([
      { variable: 'SMTP_SOCKET_TIMEOUT', message: 'must be at most 5m' },
      { variable: 'SMS_TIMEOUT', message: 'must be at least 100ms' },
      { variable: 'PUSH_TTL', message: 'must be at most 28d' },
    ]);
  });
});
