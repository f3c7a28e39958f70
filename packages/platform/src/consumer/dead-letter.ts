import { deadLetterTopicFor } from '@msa/contracts';
import { withTransaction } from '../postgres/transaction.js';
import { deadLetterHeaders, type DeadLetterCause, type ReplayMarker } from './headers.js';
import { persist } from './pacing.js';
import { recordDeadLetteredKey } from './parking.js';
import type { ConsumedMessage, PipelineDeps } from './pipeline.js';
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
  const [written] = await persist(deps, `writing to ${topic}`, () =>
    deps.producer.send({
      topic,
      acks: -1,
      messages: [{ key: source.key, value: message.value, partition: source.partition, headers }],
    }),
  );
  const deadLetterOffset = written?.baseOffset ?? written?.offset;
  if (deadLetterOffset === undefined) throw new Error(`${topic} acknowledged a write without its offset`);
  const key = source.key;
  await persist(deps, 'recording the dead letter', () =>
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
    },
    'message dead-lettered',
  );
}
