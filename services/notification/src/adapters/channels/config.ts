import { env, type Secret } from '@msa/platform';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { vapidKeysMatch } from './vapid-keys.js';

const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 5 * 60_000;
const MAX_PUSH_TTL_MS = 28 * 86_400_000;

/** A bound on one external call: from 100ms to 5m, so no attempt is unbounded nor cut before it can succeed. */
function timeout(defaultMs: number) {
  return env
    .duration()
    .pipe(
      z
        .number()
        .min(MIN_TIMEOUT_MS, `must be at least ${MIN_TIMEOUT_MS}ms`)
        .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS / 60_000}m`),
    )
    .default(defaultMs);
}

/** `no-reply@shop.example` or `MSA Shop <no-reply@shop.example>`: exactly one mailbox. */
const sender = z.string().superRefine((raw, ctx) => {
  const parsed = addressparser(raw, { flatten: true });
  const [first] = parsed;
  if (parsed.length !== 1 || first === undefined || !z.email().safeParse(first.address).success) {
    ctx.addIssue({ code: 'custom', message: 'expected one address, as name@domain or Name <name@domain>' });
  }
});

/** base64url without padding, decoding to `bytes` bytes (`firstByte` first, when given). */
function base64urlKey(what: string, bytes: number, firstByte?: number) {
  return z.string().superRefine((raw, ctx) => {
    const decoded = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url') : undefined;
    if (decoded?.length !== bytes || (firstByte !== undefined && decoded[0] !== firstByte)) {
      // continue: false, so the pair check after the fields never sees a value that is not a key.
      ctx.addIssue({ code: 'custom', message: `expected ${what}: ${bytes} bytes as unpadded base64url`, continue: false });
    }
  });
}

/**
 * The channel adapters' environment, to spread into the service's schema. URLs that may carry
 * credentials, the SMS token and the VAPID private key are secrets. Add `.superRefine(vapidKeysPaired)`
 * to the schema, so a public key that is not the private key's half stops start-up by name.
 */
export const channelVariables = {
  /** `smtp://[user:password@]host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
  SMTP_URL: env.secret(env.url({ protocols: ['smtp:', 'smtps:'] })),
  SMTP_FROM: sender,
  SMTP_CONNECTION_TIMEOUT: timeout(10_000),
  SMTP_GREETING_TIMEOUT: timeout(10_000),
  SMTP_SOCKET_TIMEOUT: timeout(30_000),
  SMS_API_URL: env.url({ protocols: ['https:', 'http:'] }).default('https://api.twilio.com'),
  SMS_ACCOUNT_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an account id of letters, digits, - and _'),
  SMS_AUTH_TOKEN: env.secret(),
  SMS_FROM: z.string().regex(/^\+[1-9]\d{1,14}$/, 'expected an E.164 number such as +15005550006'),
  SMS_TIMEOUT: timeout(10_000),
  VAPID_PUBLIC_KEY: base64urlKey('an uncompressed P-256 public key', 65, 0x04),
  VAPID_PRIVATE_KEY: env.secret(base64urlKey('a P-256 private key', 32)),
  VAPID_SUBJECT: env.url({ protocols: ['mailto:', 'https:'] }),
  PUSH_TIMEOUT: timeout(10_000),
  /** How long a push service keeps a message for an offline device; a day-old receipt is still worth showing. */
  PUSH_TTL: env
    .duration()
    .pipe(z.number().max(MAX_PUSH_TTL_MS, 'must be at most 28d'))
    .default(86_400_000),
};

/** The channel variables, as loaded. */
export type ChannelConfig = z.output<z.ZodObject<typeof channelVariables>>;

/** Refines a schema holding `channelVariables`: stops start-up naming `VAPID_PUBLIC_KEY` unless it is `VAPID_PRIVATE_KEY`'s public half. */
export function vapidKeysPaired(
  config: { readonly VAPID_PUBLIC_KEY: string; readonly VAPID_PRIVATE_KEY: Secret },
  ctx: z.RefinementCtx,
): void {
  if (!vapidKeysMatch(config.VAPID_PUBLIC_KEY, config.VAPID_PRIVATE_KEY.reveal())) {
    ctx.addIssue({ code: 'custom', path: ['VAPID_PUBLIC_KEY'], message: 'must be the public half of VAPID_PRIVATE_KEY' });
  }
}
