import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { PROGRAMS, programSpecs, type ProgramName } from '@msa/cdk8s';
import { repoRoot } from '@msa/local';
import { kindProfileObjects } from '../src/chart/source.js';
import { skaffoldSchemaErrors } from '../src/skaffold-schema.js';

interface Artifact {
  image: string;
  context?: string;
  docker?: { dockerfile?: string; buildArgs?: Record<string, string> };
}
interface HelmRelease {
  name: string;
  remoteChart?: string;
  repo?: string;
  version?: string;
  chartPath?: string;
  setValueTemplates?: Record<string, string>;
  valuesFiles?: string[];
}
interface PortForward {
  resourceType: string;
  resourceName: string;
  namespace: string;
  port: number;
  localPort: number;
}
interface SkaffoldConfig {
  apiVersion: string;
  build: { artifacts: Artifact[] };
  manifests: { rawYaml: string[]; hooks: { before: { host: { command: string[] } }[] } };
  deploy: { helm: { releases: HelmRelease[] } };
  profiles: { name: string; deploy?: { helm?: { releases: HelmRelease[] } }; portForward?: PortForward[] }[];
}

function skaffoldDocuments(): unknown[] {
  const documents = parseAllDocuments(readFileSync(join(repoRoot, 'skaffold.yaml'), 'utf8'));
  return documents.map((document) => {
    if (document.errors.length > 0) throw new Error(`skaffold.yaml: ${document.errors.map(String).join('; ')}`);
    return document.toJS() as unknown;
  });
}

function skaffoldConfig(): SkaffoldConfig {
  const [config] = skaffoldDocuments();
  return config as SkaffoldConfig;
}

/** The npm workspace a program builds from, as images/service/Dockerfile's WORKSPACE argument names it. */
const workspaceOf = (program: ProgramName) => (program === 'operator' ? 'operator' : `services/${program}`);

/** The port a program listens on in the cluster, as the cdk8s app deploys it. */
function portOf(program: ProgramName): string {
  const spec = programSpecs('').find((candidate) => candidate.name === program);
  if (spec === undefined) throw new Error(`the cdk8s app has no program ${program}`);
  return String(spec.port);
}

function strimziRelease(releases: readonly HelmRelease[]): HelmRelease | undefined {
  return releases.find((release) => release.remoteChart === 'strimzi-kafka-operator');
}

describe('skaffold.yaml', () => {
  it('given the file, when checked against skaffold v4beta14 schema, then it is one config without errors', () => {
    const documents = skaffoldDocuments();

    expect(documents).toHaveLength(1);
    expect((documents[0] as SkaffoldConfig).apiVersion).toBe('skaffold/v4beta14');
    expect(skaffoldSchemaErrors(documents[0])).toEqual([]);
  });

  it('given a copy with a misspelt docker field, when checked, then the error names the field and where it is', () => {
    const config = skaffoldConfig();
    const docker = config.build.artifacts[0]?.docker as Record<string, unknown>;
    docker.dockerFile = docker.dockerfile;
    delete docker.dockerfile;

    expect(skaffoldSchemaErrors(config)).toEqual([
      '/build/artifacts/0/docker: must NOT have additional properties (dockerFile)',
    ]);
  });

  it('given a copy whose build arg is a number, when checked, then it fails on that argument', () => {
    const config = skaffoldConfig() as unknown as { build: { artifacts: { docker: { buildArgs: object } }[] } };
    const [artifact] = config.build.artifacts;
    if (artifact) artifact.docker.buildArgs = { ...artifact.docker.buildArgs, PORT: 8081 };

    expect(skaffoldSchemaErrors(config)).toEqual(['/build/artifacts/0/docker/buildArgs/PORT: must be string']);
  });

  it('given a copy without apiVersion, when checked, then it fails naming the missing property', () => {
    const config = skaffoldConfig() as unknown as Record<string, unknown>;
    delete config.apiVersion;

    expect(skaffoldSchemaErrors(config)).toContain("/: must have required property 'apiVersion'");
  });

  it('given the artifacts, then each program has one image built from its workspace by the one service Dockerfile', () => {
    const artifacts = skaffoldConfig().build.artifacts;

    expect(artifacts.map((artifact) => artifact.image)).toEqual(PROGRAMS.map((program) => `msa-ecommerce/${program}`));
    for (const program of PROGRAMS) {
      const artifact = artifacts.find((candidate) => candidate.image === `msa-ecommerce/${program}`);
      expect({ program, context: artifact?.context, docker: artifact?.docker }).toEqual({
        program,
        context: '.',
        docker: { dockerfile: 'images/service/Dockerfile', buildArgs: { WORKSPACE: workspaceOf(program), PORT: portOf(program) } },
      });
      expect(existsSync(join(repoRoot, workspaceOf(program), 'package.json'))).toBe(true);
    }
  });

  it("given the Strimzi releases, then both install the operator chart of the Strimzi version whose CRDs ../shared/strimzi holds", () => {
    const readme = readFileSync(join(repoRoot, '..', 'shared', 'strimzi', 'README.md'), 'utf8');
    const crdVersion = /Strimzi (\d+\.\d+\.\d+)/.exec(readme)?.[1];
    const config = skaffoldConfig();
    const staging = config.profiles.find((profile) => profile.name === 'staging');

    expect(crdVersion).toBeDefined();
    for (const releases of [config.deploy.helm.releases, staging?.deploy?.helm?.releases ?? []]) {
      expect(strimziRelease(releases)).toMatchObject({ repo: 'https://strimzi.io/charts/', version: crdVersion });
    }
  });

  it('given the default deploy, then it applies what the render hook synthesizes: the cdk8s kind profile', () => {
    const { manifests } = skaffoldConfig();

    expect(manifests.hooks.before.map((hook) => hook.host.command)).toEqual([['npm', 'run', 'synth', '-w', 'cdk8s']]);
    expect(manifests.rawYaml).toEqual(['cdk8s/dist/kind/*.k8s.yaml']);
  });

  it('given the staging profile, then the chart gets the image skaffold built for every program', () => {
    const staging = skaffoldConfig().profiles.find((profile) => profile.name === 'staging');
    const chart = staging?.deploy?.helm?.releases.find((release) => release.chartPath === 'charts/msa-ecommerce');
    const expected = Object.fromEntries(
      PROGRAMS.map((program) => [
        program === 'operator' ? 'operator.image' : `services.${program}.image`,
        `{{.IMAGE_FULLY_QUALIFIED_msa_ecommerce_${program}}}`,
      ]),
    );

    expect(chart?.setValueTemplates).toEqual(expected);
  });

  it("given the staging profile's values, then each names a value of the chart and its values file is the chart's", () => {
    const staging = skaffoldConfig().profiles.find((profile) => profile.name === 'staging');
    const chart = staging?.deploy?.helm?.releases.find((release) => release.chartPath === 'charts/msa-ecommerce');
    const values = parse(readFileSync(join(repoRoot, 'charts/msa-ecommerce/values.yaml'), 'utf8')) as unknown;
    const has = (path: string) =>
      path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' && key in node ? (node as Record<string, unknown>)[key] : undefined), values) !== undefined;

    expect(Object.keys(chart?.setValueTemplates ?? {}).filter((path) => !has(path))).toEqual([]);
    for (const file of chart?.valuesFiles ?? []) expect(existsSync(join(repoRoot, file))).toBe(true);
  });

  it('given every port forward, then the kind profile has that Service or Deployment, in its namespace, serving that port', () => {
    const objects = kindProfileObjects();
    const forwards = skaffoldConfig().profiles.flatMap((profile) => profile.portForward ?? []);
    const served = (forward: PortForward) => {
      const object = objects.find(
        (candidate) => candidate.kind.toLowerCase() === forward.resourceType && candidate.metadata.name === forward.resourceName,
      );
      const ports = JSON.stringify(object?.spec ?? {});
      return { ...forward, namespace: object?.metadata.namespace, port: ports.includes(`"port":${forward.port}`) || ports.includes(`"containerPort":${forward.port}`) ? forward.port : 'not served' };
    };

    expect(forwards).toHaveLength(7);
    expect(forwards.map(served)).toEqual(forwards);
  });
});
