import { randomBytes } from 'node:crypto';
import { generateVapidKeys } from '@msa/local';
import { generateSigningKey, toVerificationJwk } from '@msa/platform';
import { PORTS, POSTGRES_CREDENTIALS, programSpecs, secretName, type ProgramSpec } from './programs.js';
import type { Manifest } from './synthesize.js';

/** The key material the Secrets are made of; fresh and random unless a spec passes its own. */
export interface SecretMaterial {
  /** PostgreSQL's superuser password: hex, so it needs no escaping inside a URL. */
  readonly postgresPassword: string;
  /** The token signing key, as the user service reads it. */
  readonly signingKey: Awaited<ReturnType<typeof generateSigningKey>>;
  readonly vapid: { readonly publicKey: string; readonly privateKey: string };
  /** Twilio's account sid and auth token; random ones, which Twilio refuses, where there is no account. */
  readonly sms: { readonly accountId: string; readonly authToken: string };
}

/** Fresh material: a random password, a new Ed25519 signing key, a new VAPID pair, stand-in SMS credentials. */
export async function freshSecretMaterial(): Promise<SecretMaterial> {
  return {
    postgresPassword: randomBytes(24).toString('hex'),
    signingKey: await generateSigningKey({ kid: `cluster-${randomBytes(4).toString('hex')}` }),
    vapid: generateVapidKeys(),
    sms: { accountId: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') },
  };
}

const POSTGRES_USER = 'msa';

/**
 * The Secrets the manifests reference, for a cluster whose stores run in its namespace (the local
 * node, a kind cluster): `msa-postgres-credentials` and one `msa-<program>-secrets` per program that
 * reads secrets, each with exactly the keys its Deployment reads, pointing at the in-cluster servers.
 * They are never in git: whoever deploys creates them once, before the first rollout.
 */
export function platformSecrets(namespace: string, material: SecretMaterial, appBaseUrl = 'http://127.0.0.1:8081'): Manifest[] {
  const values = (program: ProgramSpec): Record<string, string> => ({
    DATABASE_URL: `postgres://${POSTGRES_USER}:${material.postgresPassword}@msa-postgres:${PORTS.postgres}/${program.name}`,
    MONGO_URL: `mongodb://msa-mongo:${PORTS.mongo}/`,
    REDIS_URL: `redis://msa-redis:${PORTS.redis}`,
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(material.signingKey)] }),
    JWT_PRIVATE_KEY: JSON.stringify(material.signingKey),
    SMTP_URL: `smtp://msa-mailpit:${PORTS.smtp}`,
    SMS_ACCOUNT_ID: material.sms.accountId,
    SMS_AUTH_TOKEN: material.sms.authToken,
    VAPID_PUBLIC_KEY: material.vapid.publicKey,
    VAPID_PRIVATE_KEY: material.vapid.privateKey,
  });
  const secret = (name: string, stringData: Record<string, string>): Manifest => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'msa-ecommerce' } },
    stringData,
  });
  const programs = programSpecs(appBaseUrl).filter((program) => program.secretKeys.length > 0);
  return [
    secret(POSTGRES_CREDENTIALS, { username: POSTGRES_USER, password: material.postgresPassword }),
    ...programs.map((program) => {
      const all = values(program);
      return secret(secretName(program.name), Object.fromEntries(program.secretKeys.map((key) => [key, required(all, key, program.name)])));
    }),
  ];
}

function required(values: Record<string, string>, key: string, program: string): string {
  const value = values[key];
  if (value === undefined) throw new Error(`no value for ${program}'s secret ${key}`);
  return value;
}
