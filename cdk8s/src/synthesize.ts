import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Yaml, type Chart } from 'cdk8s';
import { DataChart } from './charts/data.js';
import { KafkaChart } from './charts/kafka.js';
import { NamespaceChart } from './charts/namespace.js';
import { ObservabilityChart } from './charts/observability.js';
import { OperatorChart } from './charts/operator.js';
import { ServicesChart } from './charts/services.js';
import { TopicsChart } from './charts/topics.js';
import { programSpecs } from './programs.js';
import { profile as profileNamed, type Profile, type ProfileName, type ProfileOptions } from './profiles.js';

/** A Kubernetes object as rendered: plain JSON. */
export type Manifest = Readonly<Record<string, unknown>> & {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string } & Readonly<Record<string, unknown>>;
};

/** One chart's objects, in the order they are applied. */
export interface RenderedChart {
  /** `namespace`, `data`, `kafka`, `operator`, `topics`, `services`, `observability`. */
  readonly name: string;
  readonly manifests: readonly Manifest[];
}

export interface SynthesizeOptions extends ProfileOptions {
  /** @default 'msa' */
  readonly namespace?: string;
}

/** A profile's manifests, chart by chart, and the settings they were rendered from. */
export interface SynthesizedProfile {
  readonly profile: Profile;
  readonly namespace: string;
  readonly charts: readonly RenderedChart[];
  /** Every object of every chart, in apply order. */
  readonly manifests: readonly Manifest[];
}

/** Renders the profile's charts: the namespace, the stores, Kafka, the operator, the topics, the services, observability. */
export function synthesizeProfile(name: ProfileName, options: SynthesizeOptions = {}): SynthesizedProfile {
  return synthesize(profileNamed(name, options), options.namespace ?? 'msa');
}

/** Renders the charts from a profile's settings: nothing else decides what differs between profiles. */
export function synthesize(profile: Profile, namespace: string): SynthesizedProfile {
  const all = programSpecs(profile.appBaseUrl);
  const operator = all.find((program) => program.name === 'operator');
  if (operator === undefined) throw new Error('the programs have no operator');
  const services = all.filter((program) => program !== operator);
  const app = new App();
  const charts: [string, Chart][] = [
    ['namespace', new NamespaceChart(app, 'namespace', { namespace, profile })],
    ['data', new DataChart(app, 'data', { namespace, profile, programs: all })],
    ['kafka', new KafkaChart(app, 'kafka', { namespace, profile, programs: all })],
    ['operator', new OperatorChart(app, 'operator', { namespace, profile, operator })],
    ['topics', new TopicsChart(app, 'topics', { namespace, profile })],
    ['services', new ServicesChart(app, 'services', { namespace, profile, services })],
    ['observability', new ObservabilityChart(app, 'observability', { namespace, profile, programs: all })],
  ];
  const rendered = charts.map(([chartName, chart]) => ({ name: chartName, manifests: chart.toJson() as Manifest[] }));
  return { profile, namespace, charts: rendered, manifests: rendered.flatMap((chart) => chart.manifests) };
}

/**
 * Writes one `<NN>-<chart>.k8s.yaml` per chart into `directory` (numbered in apply order), after
 * removing the ones a previous synthesis left there. Returns the files written.
 */
export function writeProfile(synthesized: SynthesizedProfile, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  for (const file of readdirSync(directory)) {
    if (file.endsWith('.k8s.yaml')) rmSync(join(directory, file));
  }
  return synthesized.charts.map((chart, index) => {
    const file = join(directory, `${String(index).padStart(2, '0')}-${chart.name}.k8s.yaml`);
    writeFileSync(file, Yaml.stringify(...chart.manifests));
    return file;
  });
}
