import { GenericError, MultipleErrors, NetworkError, ResponseError, TimeoutError, UserError } from '@platformatic/kafka';
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

// What a ProtocolError adds to the client's GenericError: Kafka's error name, Kafka's own message.
const kafkaAnswer = z.object({
  apiId: z.string().optional(),
  serverErrorMessage: z.string().nullable().optional(),
  canRetry: z.boolean().optional(),
});

/**
 * Wraps an error of the Kafka client into a {@link KafkaAdminError} with a message that says what
 * failed and whether retrying helps. Connection failures and timeouts are "Kafka unreachable" and
 * always retriable, even once the client's own retries are exhausted, so an outage stays retriable
 * at the operator's level. Kafka's refusals keep Kafka's error name, its message and its retriable
 * flag. Errors that are not the client's, and the client's `UserError` (a call the operator got
 * wrong), are returned unchanged: they are faults of the operator, not answers from Kafka.
 */
export function classifyKafkaError(error: unknown, doing: string): unknown {
  const root = rootCause(error);
  if (root === undefined || root instanceof UserError) return error;
  if (root instanceof NetworkError || root instanceof TimeoutError) {
    return new KafkaAdminError(`Kafka unreachable while ${doing}: ${innermostMessage(root)}`, undefined, true, { cause: error });
  }
  const answer = kafkaAnswer.safeParse(root);
  const { apiId: type, serverErrorMessage, canRetry } = answer.success ? answer.data : {};
  const said = serverErrorMessage ?? root.message;
  const what = type === undefined ? said : `${type}: ${said}`;
  return new KafkaAdminError(`Kafka refused ${doing}: ${what}`, type, canRetry ?? true, { cause: error });
}

// A response error lists one error per failed topic, the first stands for them; any other list of
// errors is the client's attempts (or brokers) in order, and the last one is where it ended.
function rootCause(error: unknown): GenericError | MultipleErrors | undefined {
  if (error instanceof ResponseError) return rootCause(error.errors[0]) ?? error;
  if (error instanceof MultipleErrors) return rootCause(error.errors.at(-1)) ?? error;
  return error instanceof GenericError ? error : undefined;
}

// A connection failure wraps the system's error (`connect ECONNREFUSED 127.0.0.1:9092`), which says most.
function innermostMessage(error: Error): string {
  let inner = error;
  while (inner.cause instanceof Error) inner = inner.cause;
  return inner.message;
}

/** What Kafka answered for one topic of a request that failed for some of its topics. */
export interface TopicAnswer {
  /** The id Kafka reports for the topic, in the client's form, when it answered with one. */
  readonly topicId?: string;
  /** The client's error for this topic; absent when Kafka did what was asked for it. */
  readonly error?: unknown;
}

const answeredTopics = z.array(z.object({ name: z.string().nullable(), topicId: z.string().optional() }));
const answerLists = z.object({ topics: answeredTopics.optional(), responses: answeredTopics.optional() });
const errorPath = z.object({ path: z.string() });

/**
 * Kafka's answer for each topic of a batch request (CreateTopics lists them under `topics`,
 * DeleteTopics under `responses`) that failed for some of them, by topic name. The client's
 * `ResponseError` keeps the whole response and one error per failed topic at `/<list>/<index>`;
 * after retries, the last attempt's is read. Kafka may answer in another order than asked, hence
 * the names. Undefined when Kafka gave no such answer (it was not reached, say).
 */
export function topicAnswers(error: unknown, list: 'topics' | 'responses'): ReadonlyMap<string, TopicAnswer> | undefined {
  const last = lastResponseError(error);
  const parsed = answerLists.safeParse(last?.response);
  const entries = parsed.success ? parsed.data[list] : undefined;
  if (last === undefined || entries === undefined) return undefined;
  const errorsByPath = new Map<string, unknown>();
  for (const topicError of last.errors) {
    const path = errorPath.safeParse(topicError);
    if (path.success) errorsByPath.set(path.data.path, topicError);
  }
  const answers = new Map<string, TopicAnswer>();
  entries.forEach((entry, index) => {
    if (entry.name === null) return;
    const topicError = errorsByPath.get(`/${list}/${index}`);
    answers.set(entry.name, {
      ...(entry.topicId === undefined ? {} : { topicId: entry.topicId }),
      ...(topicError === undefined ? {} : { error: topicError }),
    });
  });
  return answers;
}

function lastResponseError(error: unknown): ResponseError | undefined {
  if (error instanceof ResponseError) return error;
  if (error instanceof MultipleErrors) return lastResponseError(error.errors.at(-1));
  return undefined;
}
