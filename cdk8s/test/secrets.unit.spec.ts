import { freshSecretMaterial, platformSecrets, type Manifest } from '../src/index.js';
import { field, list, record, synthesized } from './support/manifests.js';

/** Every Secret key the objects read: `envFrom` takes a whole Secret, `secretKeyRef` one key. */
function references(manifests: readonly Manifest[]): { readonly secret: string; readonly key?: string }[] {
  return manifests.flatMap((manifest) =>
    list(manifest, 'spec', 'template', 'spec', 'containers').flatMap((container) => [
      ...list(container, 'envFrom').flatMap((source) => {
        const secret = field(source, 'secretRef', 'name');
        return typeof secret === 'string' ? [{ secret }] : [];
      }),
      ...list(container, 'env').flatMap((variable) => {
        const ref = field(variable, 'valueFrom', 'secretKeyRef');
        return ref === undefined ? [] : [{ secret: String(field(ref, 'name')), key: String(field(ref, 'key')) }];
      }),
    ]),
  );
}

describe.each(Object.values(synthesized))('the $profile.name profile', ({ manifests }) => {
  it('given the Secrets the secrets command makes, then every Secret and key the objects read is among them, and none is unused', async () => {
    const secrets = new Map(platformSecrets('msa', await freshSecretMaterial()).map((s) => [s.metadata.name, Object.keys(record(s, 'stringData'))]));
    const used = references(manifests);

    for (const { secret, key } of used) {
      expect({ secret, key, made: secrets.has(secret) && (key === undefined || (secrets.get(secret) ?? []).includes(key)) }).toEqual({ secret, key, made: true });
    }
    expect([...secrets.keys()].sort()).toEqual([...new Set(used.map((u) => u.secret))].sort());
  });

  it('given the manifests, then no object carries a Secret of its own', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });
});
