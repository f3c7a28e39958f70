export { operatorRbacRules, type PolicyRule } from './manifests/rbac.js';
export {
  platformTopicManifests,
  type KafkaTopicManifest,
  type PlatformTopicsOptions,
} from './manifests/platform-topics.js';
export { keepAliveApiClients } from './kube/api-clients.js';
