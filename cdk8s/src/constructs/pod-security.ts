import { k8s } from 'cdk8s-plus-27';

/** A pod that runs as `user`, never root, under the runtime's default seccomp profile. */
export function podSecurity(user: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    fsGroup: user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A container that cannot gain privileges nor write its root filesystem, with every capability dropped. */
export const containerSecurity: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ['ALL'] },
};

/** The writable `/tmp` every read-only container gets. */
export const tmpVolume: k8s.Volume = { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } };
export const tmpMount: k8s.VolumeMount = { name: 'tmp', mountPath: '/tmp' };

/** CPU and memory a container asks for and may use at most. */
export interface Resources {
  readonly cpu: readonly [request: string, limit: string];
  readonly memory: readonly [request: string, limit: string];
}

export function resources({ cpu, memory }: Resources): k8s.ResourceRequirements {
  const q = (value: string) => k8s.Quantity.fromString(value);
  return {
    requests: { cpu: q(cpu[0]), memory: q(memory[0]) },
    limits: { cpu: q(cpu[1]), memory: q(memory[1]) },
  };
}

/** An HTTP GET probe on a named port. */
export function httpProbe(path: string, port: string, timing: Omit<k8s.Probe, 'httpGet'>): k8s.Probe {
  return { httpGet: { path, port: k8s.IntOrString.fromString(port) }, ...timing };
}

/** A TCP probe on a named port: for servers whose images carry no client to ask them. */
export function tcpProbe(port: string, timing: Omit<k8s.Probe, 'tcpSocket'>): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromString(port) }, ...timing };
}
