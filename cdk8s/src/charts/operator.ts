import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { operatorRbacRules } from '@msa/operator';
import { ServiceDeployment } from '../constructs/service-deployment.js';
import { labelsOf, OPERATOR_LEASE, type ProgramSpec } from '../programs.js';
import type { Profile } from '../profiles.js';

export interface OperatorChartProps {
  readonly namespace: string;
  readonly profile: Profile;
  readonly operator: ProgramSpec;
}

/**
 * The KafkaTopic operator: its ServiceAccount, bound in the namespace to a Role of exactly the rules
 * its integration specs run it under (`operatorRbacRules`), the Lease its replicas elect a leader
 * on, and its Deployment, which learns its namespace and identity from the pod.
 */
export class OperatorChart extends Chart {
  constructor(scope: Construct, id: string, { namespace, profile, operator }: OperatorChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const name = 'msa-operator';
    const metadata = { name, namespace, labels: labelsOf('operator', 'operator') };
    new k8s.KubeServiceAccount(this, 'service-account', { metadata, automountServiceAccountToken: false });
    new k8s.KubeRole(this, 'role', {
      metadata,
      rules: operatorRbacRules.map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    new k8s.KubeLease(this, 'lease', { metadata: { ...metadata, name: OPERATOR_LEASE }, spec: {} });
    new ServiceDeployment(this, 'operator', {
      namespace,
      profile,
      program: operator,
      replicas: profile.operatorReplicas,
      serviceAccountName: name,
      resources: { cpu: ['50m', '500m'], memory: ['96Mi', '256Mi'] },
      podEnv: [
        { name: 'OPERATOR_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'OPERATOR_IDENTITY', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    });
  }
}
