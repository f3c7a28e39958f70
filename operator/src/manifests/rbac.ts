/** One rule of a Kubernetes Role. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * Everything the operator asks of the Kubernetes API, and nothing more, as the rules of a Role in
 * the namespace it watches: list and watch KafkaTopics (the informer), patch them (finalizers) and
 * their status, read and write its Lease, and create Events. The integration tests run the
 * operator under exactly these rules.
 */
export const operatorRbacRules: readonly PolicyRule[] = [
  { apiGroups: ['kafka.strimzi.io'], resources: ['kafkatopics'], verbs: ['list', 'watch', 'patch'] },
  { apiGroups: ['kafka.strimzi.io'], resources: ['kafkatopics/status'], verbs: ['patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create'] },
];
