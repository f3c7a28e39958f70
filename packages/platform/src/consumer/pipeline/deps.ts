import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { PlatformMetrics } from '../../telemetry/metrics.js';
import type { EventHandlers, SourceRecord } from '../handlers.js';
import type { BookkeepingDeps } from '../retry/bookkeeping.js';

/** A consumed message: where it came from and its bytes. */
export interface ConsumedMessage {
  readonly source: SourceRecord;
  readonly value: Buffer | null;
}

/** What handling one message needs; built per batch, since its pacer heartbeats that batch. */
export interface PipelineDeps extends BookkeepingDeps {
  readonly group: string;
  readonly pool: Pool;
  readonly producer: Producer;
  readonly handlers: EventHandlers;
  readonly metrics: PlatformMetrics;
  /** See `ConsumerRunnerOptions.handlerTimeoutMs`. */
  readonly handlerTimeoutMs: number;
  /** See `ConsumerRunnerOptions.deadLetterTimeoutMs`. */
  readonly deadLetterTimeoutMs: number;
  /** See `ConsumerRunnerOptions.maxMessageBytes`. */
  readonly maxMessageBytes: number;
  readonly now: () => Date;
  /** See `ConsumerRunnerOptions.inbox`. */
  readonly inbox: boolean;
}
