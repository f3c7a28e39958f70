import { isProgramDeployment, isServerWorkload, serverOfEgressRule, valuesPathOf, type ChartFacts } from './facts.js';
import { componentOf, isRecord, isServer, type KubeObject } from './objects.js';
import type { Placeholders } from './placeholders.js';
import { pathIs, transform, type Path } from './walk.js';

/** One object as a template: its body with Helm tokens, and the condition it renders under, if any. */
export interface ObjectTemplate {
  readonly body: unknown;
  readonly condition?: string;
}

/** Text the chart ships as a file of its own and a template reads with `.Files.Get`. */
export interface ChartFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Strings Helm would read as template actions (a dashboard's `{{service}}` legend), and long ones,
 * go into files/ beside the templates, which read them back verbatim.
 */
const LONG_STRING = 2_000;

/**
 * The template of one synthesized object: the release's namespace for the synthesized one, values
 * for what a staging install sets (images, the servers' too, replicas, resources, Secret names, the Kafka address),
 * conditions that drop an in-cluster server and point the programs' egress elsewhere, and one that
 * turns the NodePort Services (kind maps them to the host) into ClusterIP ones.
 */
export function templatize(object: KubeObject, facts: ChartFacts, placeholders: Placeholders, files: ChartFile[]): ObjectTemplate {
  const component = componentOf(object);
  const program = isProgramDeployment(object) ? valuesPathOf(component) : undefined;
  const serverImage = isServerWorkload(object) && isServer(component) && facts.serverImages.has(component) ? component : undefined;
  const serverPolicyOwner = object.kind === 'NetworkPolicy' && !isServer(component);
  const nodePortService = object.kind === 'Service' && isRecord(object.spec) && object.spec.type === 'NodePort';

  const visit = (value: unknown, path: Path): unknown => {
    if (path.at(-1) === 'namespace' && value === facts.namespace) return placeholders.inline('.Release.Namespace');
    if (nodePortService && pathIs(path, 'spec.type')) return placeholders.inline('ternary "NodePort" "ClusterIP" .Values.nodePorts');
    if (nodePortService && pathIs(path, 'spec.ports.*.nodePort')) return placeholders.optional('.Values.nodePorts', value);
    if (typeof value === 'string') return stringValue(value, path);
    if (program !== undefined && pathIs(path, 'spec.replicas')) return placeholders.inline(`.Values.${program}.replicas`);
    if (program !== undefined && pathIs(path, 'spec.template.spec.containers.0.resources')) {
      return placeholders.block(`.Values.${program}.resources`);
    }
    if (serverPolicyOwner && pathIs(path, 'spec.egress.*')) {
      const server = serverOfEgressRule(value);
      if (server === undefined || !isRecord(value)) return undefined;
      return placeholders.item(`.Values.${server}.inCluster`, transform(value, visit, []), {
        to: placeholders.block(`.Values.${server}.external.to`),
        ports: placeholders.block(`.Values.${server}.external.ports`),
      });
    }
    return undefined;
  };

  const stringValue = (value: string, path: Path): string | undefined => {
    if (program !== undefined && pathIs(path, 'spec.template.spec.containers.0.image')) {
      return placeholders.inline(`include "msa-ecommerce.image" (list $ "${component}" .Values.${program}.image) | quote`);
    }
    if (program !== undefined && pathIs(path, 'spec.template.spec.containers.0.imagePullPolicy')) {
      return placeholders.inline('.Values.image.pullPolicy');
    }
    if (serverImage !== undefined && pathIs(path, 'spec.template.spec.containers.0.image')) {
      return placeholders.inline(`.Values.${serverImage}.image | quote`);
    }
    if (value === facts.kafkaBootstrap) return placeholders.inline('.Values.kafka.bootstrapServers | quote');
    const secret = facts.secrets.get(value);
    if (secret !== undefined && (path.at(-1) === 'name' || path.at(-1) === 'secretName')) {
      return placeholders.inline(`.Values.${secret} | quote`);
    }
    if (value.includes('{{') || value.includes('}}') || value.length > LONG_STRING) {
      const file = `files/${object.metadata.name}/${String(path.at(-1))}`;
      if (files.some((existing) => existing.path === file)) throw new Error(`two long strings would be ${file}`);
      files.push({ path: file, content: value });
      return placeholders.inline(`.Files.Get "${file}" | toJson`);
    }
    return undefined;
  };

  const body = transform(object, visit);
  return isServer(component) ? { body, condition: `.Values.${component}.inCluster` } : { body };
}
