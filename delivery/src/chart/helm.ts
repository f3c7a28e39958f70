import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { localTool, run } from '../tools.js';
import type { KubeObject } from './objects.js';

/** The release as staging installs it: `helm install msa-ecommerce charts/msa-ecommerce -n msa`. */
export const RELEASE = { name: 'msa-ecommerce', namespace: 'msa' } as const;

/** What `helm template` renders from the chart in `dir` with `values` over its defaults, parsed. */
export async function helmTemplate(dir: string, values: object = {}, namespace: string = RELEASE.namespace): Promise<KubeObject[]> {
  const work = mkdtempSync(join(tmpdir(), 'helm-values-'));
  try {
    const file = join(work, 'values.yaml');
    writeFileSync(file, JSON.stringify(values));
    const result = await run(localTool('helm'), ['template', RELEASE.name, dir, '--namespace', namespace, '--values', file]);
    if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
    return parseObjects(result.stdout);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `helm lint --strict` of the chart in `dir`, with a values file over its defaults if given: its exit code and output. */
export function helmLint(dir: string, valuesFile?: string) {
  return run(localTool('helm'), ['lint', '--strict', dir, ...(valuesFile === undefined ? [] : ['--values', valuesFile])]);
}

/**
 * The objects of a multi-document YAML stream, read as YAML 1.1 like the API server reads them (a
 * plain `no` is false); empty documents (a false condition) are skipped.
 */
export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text, { version: '1.1' }).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(document.errors.map(String).join('; '));
    const value = document.toJS() as KubeObject | null;
    return value === null ? [] : [value];
  });
}
