/**
 * Why a reconciliation did not reach Ready, as the `reason` of a `Ready=False` condition. The names
 * are Strimzi's, so tooling that reads its conditions reads ours.
 */
export type FailureReason =
  /** Kafka refused or could not be reached; the message carries Kafka's own words. */
  | 'KafkaError'
  /** The change asked for cannot be done by this operator (partition decrease, replicas change, rename). */
  | 'NotSupported'
  /** Another, older KafkaTopic manages the same Kafka topic. */
  | 'ResourceConflict'
  /** The resource itself is malformed (a config value of an unsupported type, say). */
  | 'InvalidResource'
  /** A fault of the operator or of the Kubernetes API, not of the resource. */
  | 'InternalError';

/** A reconciliation that stopped short of Ready: the condition to show and whether to retry soon. */
export interface Failure {
  readonly reason: FailureReason;
  readonly message: string;
  /** True when retrying may succeed without anyone editing the resource (Kafka down, say). */
  readonly retriable: boolean;
}

/** A failure that only an edit of the resource (or of Kafka) can clear, so backoff retries are pointless. */
export function refusal(reason: FailureReason, message: string): Failure {
  return { reason, message, retriable: false };
}
