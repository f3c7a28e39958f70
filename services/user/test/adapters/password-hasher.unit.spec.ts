import { createPasswordHasher, DEFAULT_SCRYPT_COST } from '../../src/adapters/crypto/password-hasher.js';

describe('Password hasher (scrypt)', () => {
  const password = 'correct horse battery staple';

  it('given the default cost, when a password is hashed, then the hash names scrypt N=2^15, r=8, p=1 and verifies', async () => {
    const hasher = await createPasswordHasher();

    const stored = await hasher.hash(password);

    expect(DEFAULT_SCRYPT_COST).toEqual({ log2N: 15, r: 8, p: 1 });
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(stored).not.toContain(password);
    await expect(hasher.verify(password, stored)).resolves.toBe(true);
  });

  describe('at a low cost', () => {
    const cheap = createPasswordHasher({ log2N: 10, r: 8, p: 1 });

    it('given the same password twice, when hashed, then the salts differ and so do the hashes', async () => {
      const hasher = await cheap;

      expect(await hasher.hash(password)).not.toBe(await hasher.hash(password));
    });

    it('given a stored hash, when a different password is verified, then it does not match', async () => {
      const hasher = await cheap;
      const stored = await hasher.hash(password);

      await expect(hasher.verify('correct horse battery stapler', stored)).resolves.toBe(false);
    });

    it('given a password in decomposed Unicode, when verified against the composed one, then it matches', async () => {
      const hasher = await cheap;
      const stored = await hasher.hash('café au lait ☕ ok');

      await expect(hasher.verify('cafe\u0301 au lait ☕ ok', stored)).resolves.toBe(true);
    });

    it('given a hash made at another cost, when verified, then its own parameters are used', async () => {
      const stronger = await createPasswordHasher({ log2N: 11, r: 8, p: 1 });
      const stored = await stronger.hash(password);

      await expect((await cheap).verify(password, stored)).resolves.toBe(true);
    });

    it('given no account, when verifyNothing runs, then it answers false', async () => {
      await expect((await cheap).verifyNothing(password)).resolves.toBe(false);
    });

    it('given a corrupted stored hash, when verified, then it fails loudly rather than answering false', async () => {
      await expect((await cheap).verify(password, 'plaintext')).rejects.toThrow(/PHC format/);
    });
  });
});
