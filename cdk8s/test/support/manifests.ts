import { PROFILES, synthesizeProfile, type Manifest, type ProfileName, type SynthesizedProfile } from '../../src/index.js';

/** Both profiles, synthesized once per spec file. */
export const synthesized: Readonly<Record<ProfileName, SynthesizedProfile>> = Object.fromEntries(
  PROFILES.map((name) => [name, synthesizeProfile(name)]),
) as Record<ProfileName, SynthesizedProfile>;

/** A rendered object's fields, read without trusting their shape. */
export function field(object: unknown, ...path: readonly (string | number)[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function list(object: unknown, ...path: readonly (string | number)[]): unknown[] {
  const value = field(object, ...path);
  return Array.isArray(value) ? (value as unknown[]) : [];
}

export function record(object: unknown, ...path: readonly (string | number)[]): Record<string, unknown> {
  const value = field(object, ...path);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export const ofKind = (manifests: readonly Manifest[], kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);

/** `kind/name` of an object, for failure messages. */
export const idOf = (manifest: Manifest): string => `${manifest.kind}/${manifest.metadata.name}`;

/** The workloads (Deployments and StatefulSets) and their pod templates. */
export function workloads(manifests: readonly Manifest[]): { readonly id: string; readonly workload: Manifest; readonly pod: unknown }[] {
  return manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')
    .map((workload) => ({ id: idOf(workload), workload, pod: field(workload, 'spec', 'template') }));
}

/** Whether `labels` satisfy a label selector (matchLabels and the In operator). */
export function selects(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  const matchLabels = record(selector, 'matchLabels');
  if (!Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) return false;
  return list(selector, 'matchExpressions').every((expression) => {
    const key = String(field(expression, 'key'));
    const values = list(expression, 'values');
    switch (field(expression, 'operator')) {
      case 'In':
        return values.includes(labels[key]);
      case 'NotIn':
        return !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator in ${JSON.stringify(expression)}`);
    }
  });
}
