import { createHash } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { z } from 'zod';
import type { SourceRecord } from '../handlers.js';
import type { ErrorClassification } from '../retry/classify.js';

/** Why a message was sent to the dead-letter topic. */
export type DeadLetterReason = 'unparseable' | 'failed' | 'parked';

/** What `deadLetterHeaders` records beside the message. */
export interface DeadLetterCause {
  readonly reason: DeadLetterReason;
  readonly group: string;
  /** Handler attempts made; 0 when the message was parked without being tried. */
  readonly attempts: number;
  /** The last failure, for `unparseable` and `failed`. */
  readonly error?: ErrorClassification;
  /** For `parked`: the source offset of the dead-lettered message this one follows. */
  readonly parkedBehind?: string;
  readonly at: Date;
}

/** Header names on dead-letter messages; the original message's own headers travel beside them. */
export const DLT_HEADER = {
  reason: 'dlt-reason',
  group: 'dlt-consumer-group',
  attempts: 'dlt-attempts',
  errorClass: 'dlt-error-class',
  errorMessage: 'dlt-error-message',
  parkedBehind: 'dlt-parked-behind',
  originalTopic: 'dlt-original-topic',
  originalPartition: 'dlt-original-partition',
  originalOffset: 'dlt-original-offset',
  originalKey: 'dlt-original-key',
  originalTimestamp: 'dlt-original-timestamp',
  deadLetteredAt: 'dlt-dead-lettered-at',
  payloadDropped: 'dlt-payload-dropped',
  payloadBytes: 'dlt-payload-bytes',
  payloadSha256: 'dlt-payload-sha256',
} as const;

/** Header names on a message republished from a dead-letter topic by a replay. */
export const REPLAY_HEADER = {
  group: 'replay-group',
  replayId: 'replay-id',
  deadLetterOffset: 'replay-dlt-offset',
} as const;

const DLT_PREFIX = 'dlt-';
const REPLAY_PREFIX = 'replay-';
// An exception message can be long (a stack in disguise); the DLT keeps enough to recognise it.
const MAX_ERROR_MESSAGE_LENGTH = 2_000;

/**
 * The headers of a dead-letter message: the original headers (trace context, envelope ids) without
 * any left from an earlier trip to the DLT, then why (reason, error class and message), from where
 * (topic, partition, offset, key, timestamp), how many attempts, and which consumer group.
 */
export function deadLetterHeaders(source: SourceRecord, cause: DeadLetterCause): IHeaders {
  const headers: IHeaders = withoutPrefixes(source.headers, [DLT_PREFIX]);
  headers[DLT_HEADER.reason] = cause.reason;
  headers[DLT_HEADER.group] = cause.group;
  headers[DLT_HEADER.attempts] = String(cause.attempts);
  if (cause.error !== undefined) {
    headers[DLT_HEADER.errorClass] = cause.error.errorClass;
    headers[DLT_HEADER.errorMessage] = cause.error.message.slice(0, MAX_ERROR_MESSAGE_LENGTH);
  }
  if (cause.parkedBehind !== undefined) headers[DLT_HEADER.parkedBehind] = cause.parkedBehind;
  headers[DLT_HEADER.originalTopic] = source.topic;
  headers[DLT_HEADER.originalPartition] = String(source.partition);
  headers[DLT_HEADER.originalOffset] = source.offset;
  if (source.key !== null) headers[DLT_HEADER.originalKey] = source.key;
  headers[DLT_HEADER.originalTimestamp] = source.timestamp;
  headers[DLT_HEADER.deadLetteredAt] = cause.at.toISOString();
  return headers;
}

/**
 * The headers of a dead letter written without its payload, because Kafka refused the whole record
 * (`reason`, such as `MESSAGE_TOO_LARGE`): the same headers, plus the reason and the payload's size
 * and SHA-256, so the entry still says what it stood for. The payload itself stays in the source
 * topic at `dlt-original-offset` until that topic's retention ends.
 */
export function payloadDroppedHeaders(headers: IHeaders, payload: Buffer | null, reason: string): IHeaders {
  return {
    ...headers,
    [DLT_HEADER.payloadDropped]: reason,
    [DLT_HEADER.payloadBytes]: String(payload?.length ?? 0),
    [DLT_HEADER.payloadSha256]: createHash('sha256')
      .update(payload ?? Buffer.alloc(0))
      .digest('hex'),
  };
}

const offsetText = z.string().regex(/^\d+$/, 'expected a non-negative integer');

const deadLetterInfoSchema = z.object({
  reason: z.enum(['unparseable', 'failed', 'parked']),
  group: z.string().min(1),
  attempts: offsetText.transform(Number),
  errorClass: z.string().optional(),
  errorMessage: z.string().optional(),
  parkedBehind: offsetText.optional(),
  originalTopic: z.string().min(1),
  originalPartition: offsetText.transform(Number),
  originalOffset: offsetText,
  originalKey: z.string().optional(),
  originalTimestamp: offsetText,
  deadLetteredAt: z.iso.datetime(),
  payloadDropped: z.string().optional(),
  payloadBytes: offsetText.transform(Number).optional(),
  payloadSha256: z.string().optional(),
});

/** What the `dlt-*` headers of a dead-letter message say. */
export type DeadLetterInfo = z.output<typeof deadLetterInfoSchema>;

/** Reads the `dlt-*` headers; `undefined` when the message was not written by a consumer runner. */
export function readDeadLetterInfo(headers: IHeaders): DeadLetterInfo | undefined {
  const raw = Object.fromEntries(
    Object.entries(DLT_HEADER).map(([field, name]) => [field, headerText(headers, name)]),
  );
  const parsed = deadLetterInfoSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** Marks a message republished by a replay: which group should handle it and which DLT entry it is. */
export interface ReplayMarker {
  readonly group: string;
  readonly replayId: string;
  /** The offset of the dead-letter entry this message copies, in the DLT partition of the same index. */
  readonly deadLetterOffset: string;
}

/** The headers of a replayed copy: the original message's headers and the replay marker. */
export function replayHeaders(deadLetterHeaders: IHeaders, marker: ReplayMarker): IHeaders {
  const headers = withoutPrefixes(deadLetterHeaders, [DLT_PREFIX, REPLAY_PREFIX]);
  headers[REPLAY_HEADER.group] = marker.group;
  headers[REPLAY_HEADER.replayId] = marker.replayId;
  headers[REPLAY_HEADER.deadLetterOffset] = marker.deadLetterOffset;
  return headers;
}

const replayMarkerSchema = z.object({
  group: z.string().min(1),
  replayId: z.uuid(),
  deadLetterOffset: offsetText,
});

/** The replay marker of a consumed message; `undefined` for a message its producer published. */
export function readReplayMarker(headers: IHeaders): ReplayMarker | undefined {
  const parsed = replayMarkerSchema.safeParse({
    group: headerText(headers, REPLAY_HEADER.group),
    replayId: headerText(headers, REPLAY_HEADER.replayId),
    deadLetterOffset: headerText(headers, REPLAY_HEADER.deadLetterOffset),
  });
  return parsed.success ? parsed.data : undefined;
}

/** A header's first value as UTF-8 text. */
export function headerText(headers: IHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function withoutPrefixes(headers: IHeaders, prefixes: readonly string[]): IHeaders {
  const kept: IHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !prefixes.some((prefix) => name.startsWith(prefix))) kept[name] = value;
  }
  return kept;
}
