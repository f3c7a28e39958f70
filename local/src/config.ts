import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this module that holds local/config.env. */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'local', 'config.env'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no local/config.env above ${from}`);
  }
}

/**
 * Reads local/config.env, the one place for the local servers' versions, ports and paths, with
 * environment variables of the same name taking precedence, exactly as local/lib/common.sh does.
 */
export function readLocalConfig(env: NodeJS.ProcessEnv = process.env): ReadonlyMap<string, string> {
  const text = readFileSync(join(repoRoot, 'local', 'config.env'), 'utf8');
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    const [, key, raw = ''] = match;
    const value = env[key] ?? raw.replace(/\$\{HOME\}/g, homedir());
    values.set(key, value);
  }
  return values;
}

export function requireValue(config: ReadonlyMap<string, string>, key: string): string {
  const value = config.get(key);
  if (value === undefined || value === '') {
    throw new Error(`local/config.env has no value for ${key}`);
  }
  return value;
}

export function requirePort(config: ReadonlyMap<string, string>, key: string): number {
  const value = requireValue(config, key);
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${key} must be a TCP port, got "${value}"`);
  }
  return port;
}

/** Resolves a path from config.env: absolute as given, otherwise relative to the repository root. */
export function repoPath(value: string): string {
  return isAbsolute(value) ? value : join(repoRoot, value);
}
