import { DEAD_LETTER_SUFFIX } from '@msa/contracts';
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { env } from '../config/env.js';
import { inboxPruneBatchSize, inboxRetentionMs } from '../consumer/inbox/retention.js';

// Commander argument parsers: each throws InvalidArgumentError, which commander reports with the
// option's name before any connection is made.

/** A source topic: its dead-letter topic is found from it, so a `.DLT` name is a mistake. */
export function sourceTopic(value: string): string {
  if (value.endsWith(DEAD_LETTER_SUFFIX)) {
    throw new InvalidArgumentError(`give the source topic; its dead-letter topic is found from it`);
  }
  return value;
}

/** A partition number. */
export function nonNegative(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return number;
}

/** A Kafka offset, kept as its decimal string. */
export function offset(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer');
  return value;
}

/** A duration such as `60s`, in milliseconds. */
export function duration(value: string): number {
  return parsed(env.duration(), value);
}

/** How long inbox rows are kept: a duration of at least a day. */
export function inboxRetention(value: string): number {
  return parsed(inboxRetentionMs, duration(value));
}

/** Inbox rows deleted per statement. */
export function batchSize(value: string): number {
  return parsed(inboxPruneBatchSize, nonNegative(value));
}

function parsed<I, O>(schema: z.ZodType<O, I>, value: I): O {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidArgumentError(result.error.issues[0]?.message ?? 'invalid value');
  return result.data;
}
