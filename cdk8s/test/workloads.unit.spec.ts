import { PROGRAMS } from '../src/index.js';
import { TERMINATION_GRACE_SECONDS } from '../src/constructs/service-deployment.js';
import { field, list, record, synthesized, workloads } from './support/manifests.js';

const programNames: readonly string[] = PROGRAMS;

describe.each(Object.values(synthesized))('the $profile.name profile', ({ profile, manifests }) => {
  const pods = workloads(manifests);
  const containers = pods.flatMap(({ id, pod }) =>
    [...list(pod, 'spec', 'containers'), ...list(pod, 'spec', 'initContainers')].map((container) => ({ id, pod, container })),
  );
  const programs = pods.filter(({ pod }) => programNames.includes(String(field(pod, 'metadata', 'labels', 'app.kubernetes.io/name'))));

  it('given every workload, then each program and server runs', () => {
    expect(programs.map(({ pod }) => field(pod, 'metadata', 'labels', 'app.kubernetes.io/name')).sort()).toEqual([...PROGRAMS].sort());
    expect(pods.length).toBeGreaterThan(programs.length);
  });

  // The kit serves /health/live and /health/ready; the operator /healthz and /readyz.
  const paths = {
    startupProbe: { service: '/health/live', operator: '/healthz' },
    livenessProbe: { service: '/health/live', operator: '/healthz' },
    readinessProbe: { service: '/health/ready', operator: '/readyz' },
  } as const;

  it.each(Object.keys(paths) as (keyof typeof paths)[])('given a program, then its container has a %s on the program`s own path and port', (probe) => {
    for (const { id, pod } of programs) {
      const [container] = list(pod, 'spec', 'containers');
      const path = paths[probe][id === 'Deployment/msa-operator' ? 'operator' : 'service'];
      expect({ id, path: field(container, probe, 'httpGet', 'path') }).toEqual({ id, path });
      const portName = field(container, probe, 'httpGet', 'port');
      const names = list(container, 'ports').map((port) => field(port, 'name'));
      expect({ id, portName, exposed: names.includes(portName) }).toEqual({ id, portName, exposed: true });
    }
  });

  it('given a server, then its container has at least a readiness probe on a port it exposes', () => {
    for (const { id, container } of containers) {
      const probe = record(container, 'readinessProbe');
      const port = field(probe, 'httpGet', 'port') ?? field(probe, 'tcpSocket', 'port');
      const exposed = list(container, 'ports').flatMap((p) => [field(p, 'name'), field(p, 'containerPort')]);
      expect({ id, probed: port !== undefined && exposed.includes(port) }).toEqual({ id, probed: true });
    }
  });

  it('given any container, then it requests and is limited in CPU and memory', () => {
    for (const { id, container } of containers) {
      for (const bound of ['requests', 'limits']) {
        expect({ id, bound, keys: Object.keys(record(container, 'resources', bound)).sort() }).toEqual({ id, bound, keys: ['cpu', 'memory'] });
      }
    }
  });

  it('given any pod, then it runs as a non-root user under RuntimeDefault seccomp, and each container read-only with no capability', () => {
    for (const { id, pod, container } of containers) {
      const security = record(pod, 'spec', 'securityContext');
      expect({ id, nonRoot: security.runAsNonRoot, seccomp: field(security, 'seccompProfile', 'type') }).toEqual({ id, nonRoot: true, seccomp: 'RuntimeDefault' });
      expect({ id, user: typeof security.runAsUser === 'number' && security.runAsUser > 0 }).toEqual({ id, user: true });
      expect({ id, ...record(container, 'securityContext') }).toEqual({
        id,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('given a program, then it runs as 10001, has a writable /tmp, is scraped on its port and outlives the kit`s drain', () => {
    for (const { id, pod } of programs) {
      const [container] = list(pod, 'spec', 'containers');
      expect({ id, user: field(pod, 'spec', 'securityContext', 'runAsUser') }).toEqual({ id, user: 10001 });
      const mounts = list(container, 'volumeMounts').map((m) => field(m, 'mountPath'));
      expect({ id, tmp: mounts.includes('/tmp') }).toEqual({ id, tmp: true });
      expect({ id, ...record(pod, 'metadata', 'annotations') }).toEqual({
        id,
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(field(container, 'ports', 0, 'containerPort')),
        'prometheus.io/path': '/metrics',
      });
      expect(field(pod, 'spec', 'terminationGracePeriodSeconds')).toBe(TERMINATION_GRACE_SECONDS);
    }
    expect(TERMINATION_GRACE_SECONDS).toBeGreaterThan(10);
  });

  it('given any container, then its image and pull policy are the profile`s', () => {
    for (const { id, container } of containers) {
      expect({ id, policy: field(container, 'imagePullPolicy') }).toEqual({ id, policy: profile.imagePullPolicy });
      expect({ id, known: Object.values(profile.images).includes(String(field(container, 'image'))) }).toEqual({ id, known: true });
    }
  });

  it('given a pod, then only the operator and Prometheus mount a service account token', () => {
    const withToken = pods.filter(({ pod }) => field(pod, 'spec', 'automountServiceAccountToken') !== false).map(({ pod }) => field(pod, 'spec', 'serviceAccountName'));
    expect(withToken.sort()).toEqual(profile.prometheus ? ['msa-operator', 'msa-prometheus'] : ['msa-operator']);
  });
});
