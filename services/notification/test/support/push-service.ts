import { createDecipheriv, createECDH, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify, type JWTPayload } from 'jose';
import type { PushSubscription } from '../../src/ports.js';

/** One push the service accepted: its VAPID token verified and its body decrypted. */
export interface ReceivedPush {
  /** The subscription it was sent to. */
  readonly endpoint: string;
  /** The decrypted payload as text. */
  readonly plaintext: string;
  /** The VAPID token's verified claims (`aud`, `exp`, `sub`). */
  readonly claims: JWTPayload;
  readonly ttl: string | undefined;
  readonly topic: string | undefined;
  readonly urgency: string | undefined;
}

/** How the service answers pushes to one subscription; `hang` never answers. */
export type PushReply = { readonly status: number; readonly headers?: Readonly<Record<string, string>> } | 'hang';

/**
 * A real HTTP server playing a browser's push service (RFC 8030) for the subscriptions it hands out.
 * Like a real one it refuses a push whose VAPID token (RFC 8292) does not verify for its origin (401)
 * or is signed with a key other than the application server's (403), and one whose aes128gcm body
 * (RFC 8291, RFC 8188) does not decrypt with the subscription's keys (400); unlike one it keeps what it
 * accepted, decrypted, for the spec to read.
 */
export interface TestPushService {
  /** `http://127.0.0.1:<port>`: the audience every VAPID token must name. */
  readonly origin: string;
  /** Pushes accepted so far, oldest first. */
  readonly received: readonly ReceivedPush[];
  /** Pushes refused so far, with why. */
  readonly refused: readonly { readonly endpoint: string; readonly status: number; readonly reason: string }[];
  /** A new subscription, as a browser's `PushSubscription.toJSON()` gives it; its keys stay here to decrypt. */
  subscribe(): PushSubscription;
  /** Answers later pushes to `subscription` with `reply` instead of 201 (after verifying and decrypting them). */
  answer(subscription: PushSubscription, reply: PushReply): void;
  /** The subscription expires: later pushes to it get 410 Gone. */
  unsubscribe(subscription: PushSubscription): void;
  close(): Promise<void>;
}

/** Options for `startTestPushService`. */
export interface TestPushServiceOptions {
  /** The application server's VAPID public key (base64url) its subscriptions are made for. */
  readonly vapidPublicKey: string;
}

interface Subscriber {
  readonly ecdh: ReturnType<typeof createECDH>;
  readonly auth: Buffer;
  reply: PushReply;
  gone: boolean;
}

const ACCEPTED: PushReply = { status: 201 };

/** Starts the push service on an ephemeral port of 127.0.0.1. */
export async function startTestPushService({ vapidPublicKey }: TestPushServiceOptions): Promise<TestPushService> {
  const subscribers = new Map<string, Subscriber>();
  const received: ReceivedPush[] = [];
  const refused: { endpoint: string; status: number; reason: string }[] = [];
  const hanging = new Set<ServerResponse>();
  let origin = '';

  /** What a real push service would make of the request: a refusal, or the push it accepts. */
  const judge = async (request: IncomingMessage, endpoint: string): Promise<{ status: number; reason: string } | ReceivedPush> => {
    const body = Buffer.concat(await request.toArray());
    const subscriber = subscribers.get(endpoint);
    if (request.method !== 'POST' || subscriber === undefined) return { status: 404, reason: 'no such subscription' };
    if (subscriber.gone) return { status: 410, reason: 'subscription expired' };
    const vapid = await verifyVapid(request.headers.authorization, vapidPublicKey, origin);
    if ('refusal' in vapid) return { status: vapid.status, reason: vapid.refusal };
    if (request.headers['content-encoding'] !== 'aes128gcm') return { status: 400, reason: 'Content-Encoding must be aes128gcm' };
    let plaintext: string;
    try {
      plaintext = decryptAes128gcm(body, subscriber.ecdh, subscriber.auth);
    } catch (error) {
      return { status: 400, reason: `body does not decrypt: ${error instanceof Error ? error.message : String(error)}` };
    }
    return { endpoint, plaintext, claims: vapid.claims, ttl: header(request, 'ttl'), topic: header(request, 'topic'), urgency: header(request, 'urgency') };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const endpoint = `${origin}${request.url ?? ''}`;
    const verdict = await judge(request, endpoint);
    if ('status' in verdict) {
      refused.push({ endpoint, ...verdict });
      response.writeHead(verdict.status, { 'content-type': 'text/plain' }).end(verdict.reason);
      return;
    }
    received.push(verdict);
    const reply = subscribers.get(endpoint)?.reply ?? ACCEPTED;
    if (reply === 'hang') {
      hanging.add(response);
      return;
    }
    response.writeHead(reply.status, { location: `${origin}/messages/${randomUUID()}`, ...reply.headers }).end();
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const subscriberOf = (subscription: PushSubscription): Subscriber => {
    const subscriber = subscribers.get(subscription.endpoint);
    if (subscriber === undefined) throw new Error(`${subscription.endpoint} is not a subscription of this push service`);
    return subscriber;
  };
  return {
    origin,
    received,
    refused,
    subscribe() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${origin}/push/${randomUUID()}`;
      subscribers.set(endpoint, { ecdh, auth, reply: ACCEPTED, gone: false });
      return { endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
    },
    answer(subscription, reply) {
      subscriberOf(subscription).reply = reply;
    },
    unsubscribe(subscription) {
      subscriberOf(subscription).gone = true;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * RFC 8292: `Authorization: vapid t=<JWT>, k=<public key>`, the JWT ES256-signed by that key for the
 * push service's origin, expiring within 24 hours, naming a `mailto:` or `https:` contact.
 */
async function verifyVapid(
  authorization: string | undefined,
  expectedKey: string,
  origin: string,
): Promise<{ claims: JWTPayload } | { status: number; refusal: string }> {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  const [, token, key] = match ?? [];
  if (token === undefined || key === undefined) return { status: 401, refusal: 'Authorization is not "vapid t=…, k=…"' };
  if (key !== expectedKey) return { status: 403, refusal: 'the VAPID key is not the one the subscription was made for' };
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) return { status: 401, refusal: 'k is not an uncompressed P-256 point' };
  try {
    const publicKey = await importJWK(
      { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      'ES256',
    );
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ['ES256'], audience: origin, requiredClaims: ['exp', 'sub'] });
    if ((payload.exp ?? 0) > Date.now() / 1_000 + 24 * 3_600) return { status: 401, refusal: 'the token expires more than 24 hours ahead' };
    if (!/^(mailto:|https:)/.test(payload.sub ?? '')) return { status: 401, refusal: 'sub is neither mailto: nor https:' };
    return { claims: payload };
  } catch (error) {
    return { status: 401, refusal: `the VAPID token does not verify: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Decrypts an aes128gcm body for a user agent holding `ecdh` and `auth` (RFC 8291 §3.4 keys, RFC 8188
 * records): the header holds the salt, the record size and the sender's ephemeral public key.
 */
function decryptAes128gcm(body: Buffer, ecdh: ReturnType<typeof createECDH>, auth: Buffer): string {
  if (body.length < 21) throw new Error('shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body.readUInt8(20);
  const senderKey = body.subarray(21, 21 + keyIdLength);
  if (keyIdLength !== 65) throw new Error(`the key id is ${keyIdLength} bytes, not a 65-byte P-256 point`);
  if (recordSize < 18) throw new Error(`record size ${recordSize} is below the minimum of 18`);
  const sharedSecret = ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, auth, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const baseNonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));

  const records: Buffer[] = [];
  const ciphertext = body.subarray(21 + keyIdLength);
  for (let offset = 0, sequence = 0; offset < ciphertext.length; offset += recordSize, sequence += 1) {
    const record = ciphertext.subarray(offset, offset + recordSize);
    const nonce = Buffer.from(baseNonce);
    // The record's sequence number is XORed into the nonce's low bytes; a body never has 2^32 records.
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ sequence) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', contentKey, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    const isLast = offset + recordSize >= ciphertext.length;
    records.push(unpad(plain, isLast ? 0x02 : 0x01));
  }
  return Buffer.concat(records).toString('utf8');
}

/** A record ends with its delimiter (2 for the last record, 1 before) and any zero padding after it. */
function unpad(plain: Buffer, delimiter: number): Buffer {
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end -= 1;
  if (end < 0 || plain[end] !== delimiter) throw new Error(`the record's padding delimiter is not ${delimiter}`);
  return plain.subarray(0, end);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
