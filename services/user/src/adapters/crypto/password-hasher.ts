import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters: N = 2^log2N, block size r, parallelism p. */
export interface ScryptCost {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP's scrypt recommendation (N = 2^15, r = 8, p = 1): about 32 MiB and tens of milliseconds per
 * hash, which makes offline guessing expensive while a login stays fast.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** `$scrypt$ln=15,r=8,p=1$<salt>$<key>`, the PHC string format, so the cost can rise without a migration. */
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Hashes and checks passwords. Hashes are self-describing strings safe to store, never to log. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether `password` produces `stored`, compared in constant time. */
  verify(password: string, stored: string): Promise<boolean>;
  /**
   * Does the work of one `verify` and answers `false`: for a login naming an unknown email, so it
   * takes as long as a wrong password and the response time does not reveal who has an account.
   */
  verifyNothing(password: string): Promise<false>;
}

/**
 * A scrypt hasher (node:crypto) with a random salt per hash. Passwords are NFKC-normalised first,
 * so the same password typed with composed or decomposed characters matches.
 */
export async function createPasswordHasher(cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<PasswordHasher> {
  const hash = async (password: string): Promise<string> => {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, cost);
    return `$scrypt$ln=${cost.log2N},r=${cost.r},p=${cost.p}$${unpadded(salt)}$${unpadded(key)}`;
  };
  const verify = async (password: string, stored: string): Promise<boolean> => {
    const { salt, key, storedCost } = parse(stored);
    const candidate = await derive(password, salt, storedCost);
    return candidate.length === key.length && timingSafeEqual(candidate, key);
  };
  // A real hash of a random password, so an unknown email costs exactly one verification at the same cost.
  const decoy = await hash(randomBytes(24).toString('base64'));
  return {
    hash,
    verify,
    async verifyNothing(password) {
      await verify(password, decoy);
      return false;
    },
  };
}

/** PHC strings use base64 without padding. */
function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

function parse(stored: string): { salt: Buffer; key: Buffer; storedCost: ScryptCost } {
  const match = PHC.exec(stored);
  if (match === null) throw new Error('the stored password hash is not in the scrypt PHC format');
  const [, log2N = '', r = '', p = '', salt = '', key = ''] = match;
  return {
    salt: Buffer.from(salt, 'base64'),
    key: Buffer.from(key, 'base64'),
    storedCost: { log2N: Number(log2N), r: Number(r), p: Number(p) },
  };
}

function derive(password: string, salt: Buffer, { log2N, r, p }: ScryptCost): Promise<Buffer> {
  const N = 2 ** log2N;
  // scrypt needs 128·N·r bytes; node's default ceiling (32 MiB) is exactly the recommended cost, so leave headroom.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r * p };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}
