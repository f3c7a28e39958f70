import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { generateVapidKeys } from '../src/vapid-keys.js';

describe('generateVapidKeys', () => {
  it('given a new pair, when decoded, then the public key is an uncompressed P-256 point and the private one a scalar', () => {
    const { publicKey, privateKey } = generateVapidKeys();
    const point = Buffer.from(publicKey, 'base64url');

    expect(point).toHaveLength(65);
    expect(point[0]).toBe(0x04);
    expect(Buffer.from(privateKey, 'base64url')).toHaveLength(32);
    expect(publicKey).toMatch(/^[\w-]+$/);
  });

  it('given a new pair, when the private key signs, then the public key verifies it: the two belong together', () => {
    const { publicKey, privateKey } = generateVapidKeys();
    const point = Buffer.from(publicKey, 'base64url');
    const x = point.subarray(1, 33).toString('base64url');
    const y = point.subarray(33).toString('base64url');
    const data = Buffer.from('vapid');

    const signature = sign('sha256', data, createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x, y, d: privateKey }, format: 'jwk' }));

    expect(verify('sha256', data, createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' }), signature)).toBe(true);
  });

  it('given two pairs, when compared, then they differ', () => {
    expect(generateVapidKeys().privateKey).not.toBe(generateVapidKeys().privateKey);
  });
});
