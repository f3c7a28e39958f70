import { generateKeyPairSync } from 'node:crypto';

/** A VAPID key pair for Web Push, base64url, in the form the web-push package takes it. */
export interface VapidKeys {
  /** The P-256 public key as its uncompressed point: 0x04, then x and y, 65 bytes. */
  readonly publicKey: string;
  /** The private key as its 32-byte scalar. */
  readonly privateKey: string;
}

/** A fresh VAPID key pair: what local/ makes once per state dir, and what specs make per service. */
export function generateVapidKeys(): VapidKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  const { d } = privateKey.export({ format: 'jwk' });
  if (x === undefined || y === undefined || d === undefined) throw new Error('the P-256 key exported no x, y or d');
  const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]);
  return { publicKey: point.toString('base64url'), privateKey: d };
}
