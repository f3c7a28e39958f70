import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { localServers } from '@msa/local';
import { localTool, run, type CommandResult } from '../tools.js';
import type { KubeObject } from './objects.js';

const kubectl = (args: readonly string[]) => run(localTool('kubectl'), ['--kubeconfig', localServers().kubeconfigPath, ...args]);

/**
 * Applies `objects` to the local kube-apiserver with server-side apply as a dry run and strict field
 * validation, in `namespace`: the API server checks each against its schema (the Strimzi CRDs'
 * for Strimzi's kinds) and refuses unknown fields, and nothing is stored.
 */
export async function serverDryRun(objects: readonly KubeObject[], namespace: string): Promise<CommandResult> {
  const work = mkdtempSync(join(tmpdir(), 'dry-run-'));
  try {
    const file = join(work, 'objects.yaml');
    writeFileSync(file, objects.map((object) => `---\n${stringify(object, { version: '1.1' })}`).join(''));
    return await kubectl([
      'apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=msa-chart-spec',
      '--namespace', namespace, '--filename', file,
    ]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A namespace of its own for one spec file, and its removal. */
export async function createNamespace(name: string): Promise<void> {
  const result = await kubectl(['create', 'namespace', name]);
  if (result.code !== 0) throw new Error(`kubectl create namespace ${name}: ${result.stderr}`);
}

export async function deleteNamespace(name: string): Promise<void> {
  await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
}
