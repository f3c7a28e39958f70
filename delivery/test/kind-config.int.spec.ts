import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@msa/local';
import { kindProfileObjects } from '../src/chart/source.js';
import { localTool, run } from '../src/tools.js';

interface KindPortMapping {
  ContainerPort: number;
  HostPort: number;
  ListenAddress: string;
  Protocol: string;
}
interface KindConfig {
  Name: string;
  Nodes: { Role: string; ExtraPortMappings: KindPortMapping[] }[];
}

interface ServicePort {
  port: number;
  nodePort?: number;
}

/** The NodePort Services of the cdk8s kind profile, by the port they serve on. */
function nodePorts(): ServicePort[] {
  return kindProfileObjects()
    .filter((object) => object.kind === 'Service' && (object.spec as { type?: string }).type === 'NodePort')
    .flatMap((service) => (service.spec as { ports: ServicePort[] }).ports);
}

/** kind-config-check is kind's own loader and validation (local/go/kind/check/main.go). */
const check = (path: string) => run(localTool('kind-config-check'), [path]);

describe('kind-config.yaml, read by kind', () => {
  const original = readFileSync(join(repoRoot, 'kind-config.yaml'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'kind-config-'));
  const variant = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("given the file, when kind loads and validates it, then one control plane maps each NodePort of the kind profile to its service's port", async () => {
    const result = await check(join(repoRoot, 'kind-config.yaml'));

    expect(result).toMatchObject({ code: 0, stderr: '' });
    const config = JSON.parse(result.stdout) as KindConfig;
    expect(config.Name).toBe('msa-ecommerce');
    expect(config.Nodes.map((node) => node.Role)).toEqual(['control-plane']);
    expect(nodePorts()).toHaveLength(6);
    expect(config.Nodes[0]?.ExtraPortMappings).toEqual(
      nodePorts().map(({ port, nodePort }) => ({ ContainerPort: nodePort, HostPort: port, ListenAddress: '127.0.0.1', Protocol: 'TCP' })),
    );
  });

  it('given a copy with an unknown field, when kind loads it, then it fails naming the field', async () => {
    const path = variant('unknown-field.yaml', original.replace('listenAddress:', 'listenAdress:'));

    const result = await check(path);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('field listenAdress not found in type v1alpha4.PortMappingAlias');
  });

  it('given a copy that maps one host port twice, when kind validates it, then it fails naming the port', async () => {
    const path = variant('duplicate-port.yaml', original.replace('hostPort: 8082', 'hostPort: 8081'));

    const result = await check(path);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('port mapping with same listen address, port and protocol already configured: 127.0.0.1:8081/TCP');
  });

  it('given a copy of another apiVersion, when kind loads it, then it fails naming the version', async () => {
    const path = variant('api-version.yaml', original.replace('kind.x-k8s.io/v1alpha4', 'kind.x-k8s.io/v1alpha3'));

    const result = await check(path);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown apiVersion: kind.x-k8s.io/v1alpha3');
  });
});
