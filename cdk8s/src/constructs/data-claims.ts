import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { labelsOf } from '../programs.js';
import type { Profile } from '../profiles.js';

export interface DataClaimsProps {
  readonly namespace: string;
  readonly profile: Profile;
  /** The StatefulSet's name: claims are `data-<workload>-<ordinal>`. */
  readonly workload: string;
  readonly replicas: number;
}

/**
 * The claim template of a StatefulSet's `data` volume; on the local node, which has no provisioner,
 * also a PersistentVolume per pod on a directory of the node, bound to that pod's claim.
 */
export class DataClaims extends Construct {
  readonly template: k8s.KubePersistentVolumeClaimProps;

  constructor(scope: Construct, id: string, props: DataClaimsProps) {
    super(scope, id);
    const { storage } = props.profile;
    const size = { requests: { storage: k8s.Quantity.fromString(storage.size) } };
    const storageClass = storage.kind === 'host-path' ? { storageClassName: storage.storageClassName } : {};
    this.template = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: size, ...storageClass } };
    if (storage.kind !== 'host-path') return;
    for (let ordinal = 0; ordinal < props.replicas; ordinal++) {
      const claim = `data-${props.workload}-${ordinal}`;
      new k8s.KubePersistentVolume(this, claim, {
        metadata: { name: `${props.namespace}-${claim}`, labels: labelsOf(props.workload.replace(/^msa-/, ''), 'server') },
        spec: {
          capacity: { storage: k8s.Quantity.fromString(storage.size) },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: storage.storageClassName,
          claimRef: { namespace: props.namespace, name: claim },
          hostPath: { path: `${storage.directory}/${props.namespace}/${claim}`, type: 'Directory' },
        },
      });
    }
  }
}
