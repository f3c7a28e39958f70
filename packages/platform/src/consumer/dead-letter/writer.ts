import { deadLetterTopicFor } from '@msa/contracts';
import type { IHeaders } from 'kafkajs';
import { classifySendFailure, type SendFailure } from '../../kafka/send-failure.js';
import { withTransaction } from '../../postgres/transaction.js';
import { recordDeadLetteredKey } from '../parking/parked-keys.js';
import type { ConsumedMessage, PipelineDeps } from '../pipeline/deps.js';
import { ConsumerStopping, WaitTimedOut } from '../pipeline/pacing.js';
import { retryDelayMs } from '../retry/backoff.js';
import { retryBookkeeping } from '../retry/bookkeeping.js';
import { deadLetterHeaders, payloadDroppedHeaders, type DeadLetterCause, type ReplayMarker } from './headers.js';
import { recordResolution } from './resolutions.js';

/**
 * Sends a message to `<topic>.DLT`, into the partition of the same index so its key keeps one
 * partition, then parks its key (or moves the parked key's last DLT offset on) and, for a replay's
 * copy, records what became of the entry it stood for. The DLT write comes first: a crash between the
 * two steps delivers the message again, which at worst writes it to the DLT twice, and the inbox
 * absorbs the second copy on replay. Only then may the caller commit the source offset.
 */
export async function deadLetter(
  deps: PipelineDeps,
  message: ConsumedMessage,
  cause: Omit<DeadLetterCause, 'group' | 'at'>,
  replay: ReplayMarker | undefined,
): Promise<void> {
  const { source } = message;
  const topic = deadLetterTopicFor(source.topic);
  const headers = deadLetterHeaders(source, { ...cause, group: deps.group, at: deps.now() });
  const { offset: deadLetterOffset, payloadDropped } = await writeDeadLetter(deps, source.topic, {
    key: source.key,
    value: message.value,
    partition: source.partition,
    headers,
  });
  const key = source.key;
  await retryBookkeeping(deps, 'recording the dead letter', () =>
    withTransaction(deps.pool, async ({ client: tx }) => {
      if (key !== null) {
        await recordDeadLetteredKey(tx, {
          group: deps.group,
          topic: source.topic,
          key,
          partition: source.partition,
          sourceOffset: source.offset,
          deadLetterOffset,
          endsReplay: replay !== undefined && cause.reason !== 'parked',
        });
      }
      if (replay !== undefined) {
        await recordResolution(tx, {
          group: deps.group,
          topic: source.topic,
          partition: source.partition,
          deadLetterOffset: replay.deadLetterOffset,
          outcome: cause.reason === 'parked' ? 'superseded' : 'dead-lettered-again',
          replayId: replay.replayId,
        });
      }
    }),
  );
  deps.metrics.dltMessages.inc({ topic: source.topic, reason: cause.reason });
  deps.log.error(
    {
      reason: cause.reason,
      attempts: cause.attempts,
      errorClass: cause.error?.errorClass,
      error: cause.error?.message,
      parkedBehind: cause.parkedBehind,
      deadLetterTopic: topic,
      deadLetterOffset,
      payloadDropped,
    },
    'message dead-lettered',
  );
}

interface DeadLetterRecord {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly partition: number;
  readonly headers: IHeaders;
}

/**
 * Writes the record to the DLT of `sourceTopic` until Kafka acknowledges it. Each try is bounded by
 * `deadLetterTimeoutMs` and heartbeats while it waits; a failed one is tried again after the retry
 * policy's backoff, for as long as it takes (the partition waits, visibly: each failure is logged and
 * counted in `dlt_write_failures_total`), and `stop()` abandons the wait at once, leaving the message
 * uncommitted. A record Kafka refuses as such (too large once the `dlt-*` headers are added, invalid)
 * would be refused forever, so it is written once more without its payload, keeping every header
 * and saying what was dropped (`payloadDroppedHeaders`): the partition flows on.
 */
async function writeDeadLetter(
  deps: PipelineDeps,
  sourceTopic: string,
  original: DeadLetterRecord,
): Promise<{ readonly offset: string; readonly payloadDropped: boolean }> {
  const topic = deadLetterTopicFor(sourceTopic);
  let record = original;
  for (let failures = 1; ; failures++) {
    const sending = deps.producer.send({
      topic,
      acks: -1,
      // The broker waits no longer for its replicas than the runner waits for the broker.
      timeout: deps.deadLetterTimeoutMs,
      messages: [record],
    });
    let failure: SendFailure;
    let kind: SendFailure['kind'] | 'timeout';
    try {
      const [written] = await deps.pacer.during(sending, { abandonOnStop: true, timeoutMs: deps.deadLetterTimeoutMs });
      const offset = written?.baseOffset ?? written?.offset;
      if (offset !== undefined) return { offset, payloadDropped: record !== original };
      failure = { kind: 'transient', type: undefined, reason: `${topic} acknowledged a write without its offset` };
      kind = failure.kind;
    } catch (error) {
      if (error instanceof ConsumerStopping) throw error;
      const timedOut = error instanceof WaitTimedOut;
      failure = timedOut ? { kind: 'transient', type: undefined, reason: error.message } : classifySendFailure(error);
      kind = timedOut ? 'timeout' : failure.kind;
    }
    deps.metrics.dltWriteFailures.inc({ topic: sourceTopic, kind });
    if (failure.kind === 'record' && record === original) {
      deps.metrics.dltPayloadsDropped.inc({ topic: sourceTopic });
      deps.log.error(
        { deadLetterTopic: topic, refusal: failure.reason, payloadBytes: original.value?.length ?? 0 },
        'Kafka refused the dead letter as a record; writing it without its payload',
      );
      record = { ...original, value: null, headers: payloadDroppedHeaders(original.headers, original.value, failure.type ?? failure.reason) };
      continue;
    }
    const delayMs = retryDelayMs(deps.policy, failures, deps.random);
    const level = failure.kind === 'transient' ? 'warn' : 'error';
    deps.log[level]({ deadLetterTopic: topic, failure: kind, reason: failure.reason, failures, delayMs }, 'dead-letter write failed; trying again');
    await deps.pacer.wait(delayMs);
  }
}
