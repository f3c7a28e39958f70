import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLocalConfig, repoRoot } from '../src/index.js';

// The scripts put the pinned Node.js first on PATH; these fail when a run escaped it, or when the
// pin and the declared engines drift apart.
describe('the pinned Node.js runtime', () => {
  const pinned = readLocalConfig().get('NODEJS_VERSION') ?? '';

  it('given local/config.env, when the tests run, then they run on the pinned version', () => {
    expect(process.version).toBe(`v${pinned}`);
  });

  it('given the root package.json, when its engines are read, then they name the pinned release line', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      engines?: { node?: string };
    };
    const major = Number(pinned.split('.')[0]);

    expect(manifest.engines?.node).toBe(`>=${pinned} <${major + 1}`);
  });
});
