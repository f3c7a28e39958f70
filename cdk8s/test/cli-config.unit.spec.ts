import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';

const file = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'cdk8s-config-')), 'tags.json');
  writeFileSync(path, content);
  return path;
};

describe('the CLI`s configuration', () => {
  it('given nothing, when loaded, then it renders the kind profile into namespace msa with images tagged dev', () => {
    expect(loadConfig({})).toEqual({ profile: 'kind', imageTag: 'dev', namespace: 'msa' });
  });

  it('given the local node`s variables, when loaded, then the images file is read and the rest passed on', () => {
    const images = file(JSON.stringify({ user: 'localhost/msa/user:3f2a1b' }));

    expect(loadConfig({ CDK8S_PROFILE: 'local-node', CDK8S_IMAGES: images, CDK8S_VOLUMES_DIR: '/srv/volumes', CDK8S_API_SERVER_PORT: '26443' })).toEqual({
      profile: 'local-node',
      imageTag: 'dev',
      namespace: 'msa',
      localImages: { user: 'localhost/msa/user:3f2a1b' },
      volumesDirectory: '/srv/volumes',
      apiServerPort: 26443,
    });
  });

  it('given a bad profile and a relative volumes directory, when loaded, then the error names both variables', () => {
    const load = () => loadConfig({ CDK8S_PROFILE: 'minikube', CDK8S_VOLUMES_DIR: 'volumes' });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CDK8S_PROFILE.*CDK8S_VOLUMES_DIR/);
  });

  it.each([
    ['missing', join(tmpdir(), 'no-such-dir', 'tags.json'), /CDK8S_IMAGES: cannot read/],
    ['not JSON', file('{'), /CDK8S_IMAGES: .* is not JSON/],
    ['not names to references', file('{"user": 3}'), /CDK8S_IMAGES: .* must map image names/],
  ])('given an images file that is %s, when loaded, then the error names CDK8S_IMAGES', (_what, path, message) => {
    expect(() => loadConfig({ CDK8S_IMAGES: path })).toThrow(message);
  });
});
