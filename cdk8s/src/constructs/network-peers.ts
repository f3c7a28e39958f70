import { k8s } from 'cdk8s-plus-27';
import { KAFKA_CLUSTER, PORTS, selectorOf, type Dependency } from '../programs.js';
import type { Profile } from '../profiles.js';

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const pods = (labels: Record<string, string>): k8s.NetworkPolicyPeer => ({ podSelector: { matchLabels: labels } });

/** The Kafka brokers' pods: Strimzi's labels on its broker pods, or ours on the StatefulSet's. */
export function kafkaBrokerSelector(profile: Profile): Record<string, string> {
  return profile.kafka === 'strimzi'
    ? { 'strimzi.io/cluster': KAFKA_CLUSTER, 'strimzi.io/broker-role': 'true' }
    : selectorOf('kafka');
}

/** Private ranges: the cluster's own networks, reached by pod selectors or not at all. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** The egress rule that lets a pod reach one dependency, and nothing else of it. */
export function egressTo(dependency: Dependency, profile: Profile): k8s.NetworkPolicyEgressRule {
  switch (dependency) {
    case 'kafka':
      return { to: [pods(kafkaBrokerSelector(profile))], ports: [tcp(PORTS.kafka)] };
    case 'postgres':
      return { to: [pods(selectorOf('postgres'))], ports: [tcp(PORTS.postgres)] };
    case 'mongo':
      return { to: [pods(selectorOf('mongo'))], ports: [tcp(PORTS.mongo)] };
    case 'redis':
      return { to: [pods(selectorOf('redis'))], ports: [tcp(PORTS.redis)] };
    case 'mailpit':
      return { to: [pods(selectorOf('mailpit'))], ports: [tcp(PORTS.smtp)] };
    // A policy sees the API server's endpoint (its host's address and port), not the Service's 443.
    case 'kube-api':
      return { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: profile.apiServerPorts.map(tcp) };
    case 'internet-https':
      return { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }], ports: [tcp(443)] };
    default: {
      const unknown: never = dependency;
      throw new Error(`no egress rule for ${String(unknown)}`);
    }
  }
}

/** Name lookups through the cluster's DNS (CoreDNS, labelled `k8s-app: kube-dns` in kube-system). */
export const dnsEgress: k8s.NetworkPolicyEgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
  ],
};

/** Ingress on `ports` from any pod named in `clients` (by `app.kubernetes.io/name`) in the namespace. */
export function ingressFrom(clients: readonly string[], ports: readonly number[]): k8s.NetworkPolicyIngressRule {
  return {
    from: [{ podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [...clients] }] } }],
    ports: ports.map(tcp),
  };
}

/** Ingress on `ports` from anywhere: an API port, a UI, metrics. */
export function ingressOpen(ports: readonly number[]): k8s.NetworkPolicyIngressRule {
  return { ports: ports.map(tcp) };
}
