import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { labelsOf, selectorOf } from '../programs.js';
import { imageOf, SERVER_USERS, type Profile, type ServerImage } from '../profiles.js';
import { DataClaims } from './data-claims.js';
import { dnsEgress } from './network-peers.js';
import { containerSecurity, podSecurity, resources, tmpMount, tmpVolume, type Resources } from './pod-security.js';

/** A port a server listens on, by name (probes and Services refer to it by name). */
export interface ServerPort {
  readonly name: string;
  readonly port: number;
}

export interface ServerWorkloadProps {
  readonly namespace: string;
  readonly profile: Profile;
  /** The server's name: `msa-<name>` for its objects, `app.kubernetes.io/name` of its pods. */
  readonly name: string;
  /** Its image among the profile's. */
  readonly image: ServerImage;
  readonly ports: readonly ServerPort[];
  readonly resources: Resources;
  readonly readinessProbe: k8s.Probe;
  /** @default none: a server that stops answering is taken out of its Service, not restarted */
  readonly livenessProbe?: k8s.Probe;
  /** @default none */
  readonly env?: readonly k8s.EnvVar[];
  /** @default the image's */
  readonly command?: readonly string[];
  /** @default the image's */
  readonly args?: readonly string[];
  /** A volume claim per pod, mounted here; makes the workload a StatefulSet. @default none: a Deployment */
  readonly dataPath?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** Writable directories besides `/tmp` and the data: emptyDirs. @default none */
  readonly scratchPaths?: readonly string[];
  /** ConfigMaps mounted read-only, by mount path. @default none */
  readonly configMaps?: Readonly<Record<string, string>>;
  /** Files of several ConfigMaps in one read-only directory: `{ file: [configMap, key] }`. @default none */
  readonly configFiles?: { readonly path: string; readonly files: Readonly<Record<string, readonly [configMap: string, key: string]>> };
  /** NetworkPolicy rules: who may connect, and what the server itself reaches (DNS is always allowed). */
  readonly ingress: readonly k8s.NetworkPolicyIngressRule[];
  /** @default only DNS */
  readonly egress?: readonly k8s.NetworkPolicyEgressRule[];
  /** @default none, with no token mounted */
  readonly serviceAccountName?: string;
  /** Labels its pods carry besides the selector. @default none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** @default none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * The Service in front of the pods, when it is not `msa-<name>`; a StatefulSet then also gets a
   * headless Service `msa-<name>` for its pods' own names. @default `msa-<name>`
   */
  readonly serviceName?: string;
}

/**
 * A server of the platform's (PostgreSQL, MongoDB or FerretDB, Redis, Mailpit, Kafka, Prometheus):
 * a StatefulSet with a volume claim per pod when it keeps data, a Deployment otherwise, hardened
 * like the programs' pods, a Service, and a NetworkPolicy admitting only its clients.
 */
export class ServerWorkload extends Construct {
  constructor(scope: Construct, id: string, props: ServerWorkloadProps) {
    super(scope, id);
    const { namespace, profile } = props;
    const name = `msa-${props.name}`;
    const labels = labelsOf(props.name, 'server');
    const selector = selectorOf(props.name);
    const metadata = { name, namespace, labels };
    const user = SERVER_USERS[props.image];

    const scratch = (props.scratchPaths ?? []).map((path, index) => ({ name: `scratch-${index}`, path }));
    const configMaps = Object.entries(props.configMaps ?? {}).map(([path, configMap], index) => ({ name: `config-${index}`, path, configMap }));
    const volumes: k8s.Volume[] = [
      tmpVolume,
      ...scratch.map(({ name: volume }) => ({ name: volume, emptyDir: {} })),
      ...configMaps.map(({ name: volume, configMap }) => ({ name: volume, configMap: { name: configMap } })),
      ...(props.configFiles === undefined ? [] : [{ name: 'config-files', projected: { sources: projectedFiles(props.configFiles.files) } }]),
    ];
    const volumeMounts: k8s.VolumeMount[] = [
      tmpMount,
      ...scratch.map(({ name: volume, path }) => ({ name: volume, mountPath: path })),
      ...configMaps.map(({ name: volume, path }) => ({ name: volume, mountPath: path, readOnly: true })),
      ...(props.configFiles === undefined ? [] : [{ name: 'config-files', mountPath: props.configFiles.path, readOnly: true }]),
      ...(props.dataPath === undefined ? [] : [{ name: 'data', mountPath: props.dataPath }]),
    ];

    const template: k8s.PodTemplateSpec = {
      metadata: { labels: { ...labels, ...props.podLabels }, ...(props.podAnnotations === undefined ? {} : { annotations: { ...props.podAnnotations } }) },
      spec: {
        securityContext: podSecurity(user),
        automountServiceAccountToken: props.serviceAccountName !== undefined,
        ...(props.serviceAccountName === undefined ? {} : { serviceAccountName: props.serviceAccountName }),
        enableServiceLinks: false,
        volumes,
        containers: [
          {
            name: props.name,
            image: imageOf(profile, props.image),
            imagePullPolicy: profile.imagePullPolicy,
            ...(props.command === undefined ? {} : { command: [...props.command] }),
            ...(props.args === undefined ? {} : { args: [...props.args] }),
            ports: props.ports.map(({ name: portName, port }) => ({ name: portName, containerPort: port, protocol: 'TCP' })),
            ...(props.env === undefined ? {} : { env: [...props.env] }),
            readinessProbe: props.readinessProbe,
            ...(props.livenessProbe === undefined ? {} : { livenessProbe: props.livenessProbe }),
            resources: resources(props.resources),
            securityContext: containerSecurity,
            volumeMounts,
          },
        ],
      },
    };

    const serviceName = props.serviceName ?? name;
    const replicas = props.replicas ?? 1;
    if (props.dataPath === undefined) {
      new k8s.KubeDeployment(this, 'deployment', {
        metadata,
        // One pod at a time: the old one lets go of its port and files before the new one starts.
        spec: { replicas, selector: { matchLabels: selector }, strategy: { type: 'Recreate' }, template },
      });
    } else {
      const claim = new DataClaims(this, 'claims', { namespace, profile, workload: name, replicas });
      new k8s.KubeStatefulSet(this, 'statefulset', {
        metadata,
        spec: {
          replicas,
          serviceName: name,
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: selector },
          template,
          volumeClaimTemplates: [claim.template],
        },
      });
    }

    const ports = props.ports.map(({ name: portName, port }) => ({ name: portName, port, targetPort: k8s.IntOrString.fromString(portName), protocol: 'TCP' }));
    new k8s.KubeService(this, 'service', { metadata: { ...metadata, name: serviceName }, spec: { selector, ports } });
    if (props.dataPath !== undefined && serviceName !== name) {
      new k8s.KubeService(this, 'pods', {
        metadata,
        spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector, ports },
      });
    }

    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [...props.ingress],
        egress: [dnsEgress, ...(props.egress ?? [])],
      },
    });
  }
}

function projectedFiles(files: Readonly<Record<string, readonly [configMap: string, key: string]>>): k8s.VolumeProjection[] {
  const byConfigMap = new Map<string, k8s.KeyToPath[]>();
  for (const [path, [configMap, key]] of Object.entries(files)) {
    byConfigMap.set(configMap, [...(byConfigMap.get(configMap) ?? []), { key, path }]);
  }
  return [...byConfigMap].map(([name, items]) => ({ configMap: { name, items } }));
}
