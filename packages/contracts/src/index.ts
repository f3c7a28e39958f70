export {
  type ConsumerGroup,
  type DeadLetterTopicName,
  type EventTopicDefinition,
  type EventTopicName,
  type ServiceName,
  DEAD_LETTER_SUFFIX,
  consumerGroups,
  deadLetterTopicFor,
  eventTopics,
  topicsConsumedBy,
} from './topics.js';
export {
  type DeadLetterTopicSpec,
  type EventTopicSpec,
  type TopicSpec,
  type TopicTarget,
  topicSpecs,
} from './topic-specs.js';
