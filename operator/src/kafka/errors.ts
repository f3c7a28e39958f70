import { z } from 'zod';

/**
 * A failure reported by Kafka or met on the way to it. `type` is Kafka's error code name when Kafka
 * answered (`INVALID_CONFIG`, ...); `retriable` tells whether trying again unchanged may succeed.
 */
export class KafkaAdminError extends Error {
  override readonly name = 'KafkaAdminError';

  constructor(
    message: string,
    readonly type: string | undefined,
    readonly retriable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// kafkajs error classes are not importable by name from ESM (its index spreads them), and their
// shapes are what matters anyway: name, Kafka's error type, the retriable flag, nested causes.
const kafkajsErrorShape = z.object({
  name: z.string().startsWith('KafkaJS'),
  message: z.string(),
  type: z.string().optional(),
  retriable: z.boolean().optional(),
  errors: z.array(z.unknown()).optional(),
  cause: z.unknown().optional(),
});

type KafkajsError = z.infer<typeof kafkajsErrorShape>;

// Failures of the connection rather than answers from Kafka: always worth retrying.
const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
]);

/**
 * Wraps a kafkajs error into a {@link KafkaAdminError} with a message that says what failed and
 * whether retrying helps. Exhausted client retries are unwrapped to their last cause, so an outage
 * stays retriable at the operator's level. Errors that are not kafkajs's are returned unchanged:
 * they are faults of the operator, not answers from Kafka.
 */
export function classifyKafkaError(error: unknown, doing: string): unknown {
  const root = rootCause(error);
  if (root === undefined) return error;
  if (UNREACHABLE.has(root.name)) {
    return new KafkaAdminError(`Kafka unreachable while ${doing}: ${root.message}`, undefined, true, { cause: error });
  }
  const what = root.type === undefined ? root.message : `${root.type}: ${root.message}`;
  return new KafkaAdminError(`Kafka refused ${doing}: ${what}`, root.type, root.retriable ?? true, { cause: error });
}

function rootCause(error: unknown): KafkajsError | undefined {
  const parsed = kafkajsErrorShape.safeParse(error);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  const nested = e.errors?.[0] ?? e.cause;
  if (nested !== undefined && nested !== error) return rootCause(nested) ?? e;
  return e;
}
