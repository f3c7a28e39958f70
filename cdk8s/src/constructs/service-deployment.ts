import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { labelsOf, secretName, selectorOf, type ProgramSpec } from '../programs.js';
import { imageOf, type Profile } from '../profiles.js';
import { dnsEgress, egressTo, ingressOpen } from './network-peers.js';
import { containerSecurity, httpProbe, podSecurity, resources, tmpMount, tmpVolume, type Resources } from './pod-security.js';

/** The user every program of this repository runs as (the service image's own). */
export const PROGRAM_USER = 10001;

/**
 * Seconds between SIGTERM and SIGKILL: the kit drains HTTP for up to 10 s, then stops the consumers,
 * the relay and the pools one after the other, which may take a consumer's in-flight batch longer.
 */
export const TERMINATION_GRACE_SECONDS = 45;

export interface ServiceDeploymentProps {
  readonly namespace: string;
  readonly program: ProgramSpec;
  readonly profile: Profile;
  /** @default profile.serviceReplicas */
  readonly replicas?: number;
  /** @default 50m/128Mi requested, 1 CPU and 320Mi at most */
  readonly resources?: Resources;
  /** Variables from the pod itself (the downward API), beside the ConfigMap and the Secret. @default none */
  readonly podEnv?: readonly k8s.EnvVar[];
  /** Runs under this ServiceAccount with its token mounted; otherwise under none, with no token. @default none */
  readonly serviceAccountName?: string;
  /** Exposes the port on every node at this port as well (kind maps 30081-30086 to the host). @default ClusterIP only */
  readonly nodePort?: number;
}

/**
 * One program as it runs in the cluster: its ConfigMap (the plain variables of its `config.ts`),
 * a Deployment reading it and `msa-<name>-secrets`, hardened pods with startup, liveness and
 * readiness probes and Prometheus' scrape annotations, a Service, a PodDisruptionBudget and a
 * NetworkPolicy letting it reach only its dependencies and be reached only on its port.
 */
export class ServiceDeployment extends Construct {
  constructor(scope: Construct, id: string, props: ServiceDeploymentProps) {
    super(scope, id);
    const { namespace, program, profile } = props;
    const name = `msa-${program.name}`;
    const component = program.name === 'operator' ? 'operator' : 'service';
    const labels = labelsOf(program.name, component);
    const selector = selectorOf(program.name);
    const metadata = { name, namespace, labels };

    new k8s.KubeConfigMap(this, 'config', { metadata: { ...metadata, name: `${name}-config` }, data: { ...program.config } });

    const secretEnv: k8s.EnvFromSource[] =
      program.secretKeys.length > 0 ? [{ secretRef: { name: secretName(program.name) } }] : [];
    const timing = { periodSeconds: 10, timeoutSeconds: 3 };
    new k8s.KubeDeployment(this, 'deployment', {
      metadata,
      spec: {
        replicas: props.replicas ?? profile.serviceReplicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: {
            labels,
            annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(program.port), 'prometheus.io/path': '/metrics' },
          },
          spec: {
            securityContext: podSecurity(PROGRAM_USER),
            terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
            automountServiceAccountToken: props.serviceAccountName !== undefined,
            ...(props.serviceAccountName === undefined ? {} : { serviceAccountName: props.serviceAccountName }),
            enableServiceLinks: false,
            volumes: [tmpVolume],
            containers: [
              {
                name: program.name,
                image: imageOf(profile, program.name),
                imagePullPolicy: profile.imagePullPolicy,
                ports: [{ name: 'http', containerPort: program.port, protocol: 'TCP' }],
                envFrom: [{ configMapRef: { name: `${name}-config` } }, ...secretEnv],
                ...(props.podEnv === undefined ? {} : { env: [...props.podEnv] }),
                // Start-up migrates and joins the consumer groups before it listens: up to 2 minutes.
                startupProbe: httpProbe(program.probes.live, 'http', { ...timing, periodSeconds: 2, failureThreshold: 60 }),
                livenessProbe: httpProbe(program.probes.live, 'http', { ...timing, failureThreshold: 3 }),
                readinessProbe: httpProbe(program.probes.ready, 'http', { ...timing, periodSeconds: 5, failureThreshold: 2 }),
                resources: resources(props.resources ?? { cpu: ['50m', '1'], memory: ['128Mi', '320Mi'] }),
                securityContext: containerSecurity,
                volumeMounts: [tmpMount],
              },
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata,
      spec: {
        type: props.nodePort === undefined ? 'ClusterIP' : 'NodePort',
        selector,
        ports: [
          {
            name: 'http',
            port: program.port,
            targetPort: k8s.IntOrString.fromString('http'),
            protocol: 'TCP',
            ...(props.nodePort === undefined ? {} : { nodePort: props.nodePort }),
          },
        ],
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata,
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        // Clients, Prometheus and the kubelet's probes all come to the one port.
        ingress: [ingressOpen([program.port])],
        egress: [dnsEgress, ...program.dependencies.map((dependency) => egressTo(dependency, profile))],
      },
    });
  }
}
