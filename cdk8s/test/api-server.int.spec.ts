import { randomBytes } from 'node:crypto';
import { PROFILES, synthesizeProfile } from '../src/index.js';
import { ApiServer } from './support/api-server.js';
import { idOf } from './support/manifests.js';

const api = new ApiServer();

describe.each(PROFILES)('the %s profile on the local kube-apiserver', (profile) => {
  const namespace = `cdk8s-${profile}-${randomBytes(4).toString('hex')}`;
  const { manifests } = synthesizeProfile(profile, { namespace });

  beforeAll(async () => {
    const created = await api.call('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: namespace } }));
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await api.call('DELETE', `/api/v1/namespaces/${namespace}`);
  });

  it('given every object, when server-side applied as a dry run with strict field validation, then each is accepted as it is', async () => {
    const refused: { id: string; status: number; message: string }[] = [];
    for (const manifest of manifests) {
      const response = await api.dryRunApply(manifest);
      if (response.status >= 300) {
        refused.push({ id: idOf(manifest), status: response.status, message: (JSON.parse(response.body) as { message?: string }).message ?? response.body });
        continue;
      }
      // Strict validation refuses an unknown field outright; a warning would still mean a field was dropped.
      const applied = JSON.parse(response.body) as { kind?: string; metadata?: { name?: string } };
      expect({ id: idOf(manifest), applied: `${applied.kind ?? ''}/${applied.metadata?.name ?? ''}` }).toEqual({ id: idOf(manifest), applied: idOf(manifest) });
    }
    expect(refused).toEqual([]);
    expect(manifests.length).toBeGreaterThan(50);
  });

  it('given a field the schema does not have, when dry-run applied, then the API server refuses it, so acceptance above means something', async () => {
    const [deployment] = manifests.filter((m) => m.kind === 'Deployment');
    if (deployment === undefined) throw new Error('no Deployment');
    const response = await api.dryRunApply({ ...deployment, spec: { ...(deployment.spec as object), replicaz: 2 } });

    // Server-side apply answers an undeclared field while building the typed patch, with a 500.
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.body).toMatch(/\.spec\.replicaz: field not declared in schema/);
  });
});
