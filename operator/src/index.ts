export { operatorRbacRules, type PolicyRule } from './manifests/rbac.js';
export {
  platformTopicManifests,
  type KafkaTopicManifest,
  type PlatformTopicsOptions,
} from './manifests/platform-topics.js';
