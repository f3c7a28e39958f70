import { PROGRAMS, programSpecs } from '../src/index.js';
import { field, idOf, list, ofKind, record, selects, synthesized, workloads } from './support/manifests.js';

describe.each(Object.values(synthesized))('the $profile.name profile', ({ profile, manifests }) => {
  const pods = workloads(manifests).map(({ id, pod }) => ({
    id,
    labels: record(pod, 'metadata', 'labels'),
    ports: list(pod, 'spec', 'containers').flatMap((c) => list(c, 'ports').flatMap((p) => [field(p, 'containerPort'), field(p, 'name')])),
  }));
  // Strimzi's cluster operator makes the broker pods; they listen on the Kafka resource's listeners.
  const strimziBrokers = ofKind(manifests, 'Kafka').map((kafka) => ({
    id: `pods of ${idOf(kafka)}`,
    labels: { 'strimzi.io/cluster': kafka.metadata.name, 'strimzi.io/broker-role': 'true', 'strimzi.io/kind': 'Kafka' },
    ports: list(kafka, 'spec', 'kafka', 'listeners').map((listener) => field(listener, 'port')),
  }));
  const allPods = [...pods, ...strimziBrokers];
  const policies = ofKind(manifests, 'NetworkPolicy');

  it('given every pod, then exactly one NetworkPolicy selects it, for both ingress and egress', () => {
    for (const pod of pods) {
      const selecting = policies.filter((policy) => selects(field(policy, 'spec', 'podSelector'), pod.labels));
      expect({ pod: pod.id, policies: selecting.length }).toEqual({ pod: pod.id, policies: 1 });
      expect(list(selecting[0], 'spec', 'policyTypes')).toEqual(['Ingress', 'Egress']);
    }
  });

  it('given an ingress rule, then each port is one the selected pods expose', () => {
    for (const policy of policies) {
      const selected = pods.filter((pod) => selects(field(policy, 'spec', 'podSelector'), pod.labels));
      expect({ policy: idOf(policy), selected: selected.length > 0 }).toEqual({ policy: idOf(policy), selected: true });
      for (const rule of list(policy, 'spec', 'ingress')) {
        for (const port of list(rule, 'ports')) {
          for (const pod of selected) {
            const seen = { policy: idOf(policy), pod: pod.id, port: field(port, 'port') };
            expect({ ...seen, exposed: pod.ports.includes(seen.port) }).toEqual({ ...seen, exposed: true });
          }
        }
      }
    }
  });

  it('given an egress rule to pods of the namespace, then such pods exist and each port is one they expose', () => {
    for (const policy of policies) {
      for (const rule of list(policy, 'spec', 'egress')) {
        for (const peer of list(rule, 'to').filter((p) => field(p, 'podSelector') !== undefined && field(p, 'namespaceSelector') === undefined)) {
          const targets = allPods.filter((pod) => selects(field(peer, 'podSelector'), pod.labels));
          expect({ policy: idOf(policy), peer, targets: targets.length > 0 }).toEqual({ policy: idOf(policy), peer, targets: true });
          for (const port of list(rule, 'ports')) {
            for (const target of targets) {
              const seen = { policy: idOf(policy), target: target.id, port: field(port, 'port') };
              expect({ ...seen, exposed: target.ports.includes(seen.port) }).toEqual({ ...seen, exposed: true });
            }
          }
        }
      }
    }
  });

  it('given an egress rule outside the namespace, then it is DNS on port 53, the API server`s ports, or HTTPS to the internet', () => {
    for (const policy of policies) {
      for (const rule of list(policy, 'spec', 'egress')) {
        const outside = list(rule, 'to').filter((p) => field(p, 'podSelector') === undefined || field(p, 'namespaceSelector') !== undefined);
        if (outside.length === 0) continue;
        const ports = list(rule, 'ports').map((p) => field(p, 'port'));
        const dns = outside.every((p) => field(p, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name') === 'kube-system');
        const allowed = dns ? [53] : [443, ...profile.apiServerPorts];
        expect({ policy: idOf(policy), ports: ports.every((port) => allowed.includes(Number(port))) }).toEqual({ policy: idOf(policy), ports: true });
      }
    }
  });

  it('given each program, then it may reach exactly its dependencies, and only the notification service the internet', () => {
    for (const program of programSpecs(profile.appBaseUrl)) {
      const [policy] = policies.filter((p) => field(p, 'spec', 'podSelector', 'matchLabels', 'app.kubernetes.io/name') === program.name);
      const egress = list(policy, 'spec', 'egress');
      // DNS, then one rule per dependency.
      expect({ program: program.name, rules: egress.length }).toEqual({ program: program.name, rules: program.dependencies.length + 1 });
      const internet = egress.some((rule) => list(rule, 'to').some((peer) => field(peer, 'ipBlock', 'except') !== undefined));
      expect({ program: program.name, internet }).toEqual({ program: program.name, internet: program.name === 'notification' });
    }
  });

  it('given the servers, then each admits only the programs that depend on it', () => {
    const clientsOf = (server: string) =>
      policies
        .filter((p) => field(p, 'spec', 'podSelector', 'matchLabels', 'app.kubernetes.io/name') === server)
        .flatMap((p) => list(p, 'spec', 'ingress'))
        .flatMap((rule) => list(rule, 'from'))
        .flatMap((peer) => list(peer, 'podSelector', 'matchExpressions', 0, 'values'));
    expect(new Set(clientsOf('redis'))).toEqual(new Set(PROGRAMS.filter((p) => p !== 'operator')));
    expect(new Set(clientsOf('mailpit'))).toEqual(new Set(['notification']));
    expect(clientsOf('mongo')).not.toContain('inventory');
  });
});
