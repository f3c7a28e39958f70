import { isAbsolute, join } from 'node:path';
import { readLocalConfig, repoRoot } from '@msa/local';

/** The services a bench drives and watches, in `local/lib/services.sh`'s start order. */
export const SERVICES = ['user', 'product', 'inventory', 'payment', 'order', 'notification'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Where the platform `npm start` runs is, from `local/config.env` and the `MSA_*` variables over it. */
export interface Platform {
  /** `http://127.0.0.1:<port>` of each service. */
  readonly urls: Readonly<Record<ServiceName, string>>;
  /** Where `local/` keeps pid files and secrets. */
  readonly stateDir: string;
  readonly postgresPort: string;
  readonly postgresMajor: string;
}

export function localPlatform(): Platform {
  const local = readLocalConfig();
  const get = (key: string): string => {
    const value = local.get(key);
    if (value === undefined || value === '') throw new Error(`local/config.env sets no ${key}`);
    return value;
  };
  const stateDir = get('MSA_STATE_DIR');
  const urls = Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${get(`MSA_${name.toUpperCase()}_PORT`)}`])) as Record<ServiceName, string>;
  return {
    urls,
    stateDir: isAbsolute(stateDir) ? stateDir : join(repoRoot, stateDir),
    postgresPort: get('MSA_POSTGRES_PORT'),
    postgresMajor: get('POSTGRES_MAJOR'),
  };
}

/** Stops with the services that do not answer `/health/ready`. */
export async function checkPlatform(platform: Platform): Promise<void> {
  const down: string[] = [];
  for (const name of SERVICES) {
    const ready = await fetch(`${platform.urls[name]}/health/ready`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    if (!ready) down.push(name);
  }
  if (down.length > 0) throw new Error(`not ready: ${down.join(', ')}; start the platform with npm start (all six services)`);
}
