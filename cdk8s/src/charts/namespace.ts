import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { Profile } from '../profiles.js';

export interface NamespaceChartProps {
  readonly namespace: string;
  readonly profile: Profile;
}

/** The platform's namespace and, on the local node, the StorageClass its hand-made volumes belong to. */
export class NamespaceChart extends Chart {
  constructor(scope: Construct, id: string, { namespace, profile }: NamespaceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const labels = { 'app.kubernetes.io/part-of': 'msa-ecommerce', 'app.kubernetes.io/managed-by': 'cdk8s' };
    new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace, labels } });
    if (profile.storage.kind === 'host-path') {
      new k8s.KubeStorageClass(this, 'storage-class', {
        metadata: { name: profile.storage.storageClassName, labels },
        provisioner: 'kubernetes.io/no-provisioner',
        volumeBindingMode: 'WaitForFirstConsumer',
        reclaimPolicy: 'Retain',
      });
    }
  }
}
