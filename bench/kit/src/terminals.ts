import { randomUUID } from 'node:crypto';
import { BROKER_RESTART_RETRY } from '@msa/platform';
import type { Kafka } from 'kafkajs';

/** How an order ended, and when the bench saw it. */
export interface Terminal {
  readonly status: 'COMPLETED' | 'CANCELLED';
  readonly reason?: string;
  /** `performance.now()` when the event reached the bench. */
  readonly at: number;
}

/** A consumer of `order.lifecycle.completed|cancelled` in a group of the bench's own. */
export interface TerminalWatch {
  /** The terminal state of `orderId`, once it arrived. */
  get(orderId: string): Terminal | undefined;
  /** Calls `listener` with each order's terminal state as it arrives, until the returned function is called. */
  onTerminal(listener: (orderId: string, terminal: Terminal) => void): () => void;
  stop(): Promise<void>;
}

const TOPICS = { 'order.lifecycle.completed': 'COMPLETED', 'order.lifecycle.cancelled': 'CANCELLED' } as const;

/**
 * Joins a fresh group on the terminal topics, from their ends, and resolves once it has its
 * partitions: every order placed afterwards is seen when its saga ends.
 */
export async function watchTerminals(kafka: Kafka): Promise<TerminalWatch> {
  const groupId = `bench-saga-${randomUUID()}`;
  // Retrying as the services' consumers do, the watcher rides out a broker restart as a member of
  // its group: with kafkajs's five retries it crashed and joined again, and saw nothing more until
  // its old member's 30 s session ran out, which a benchmark then counted as the platform's delay.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 20, retry: { ...BROKER_RESTART_RETRY } });
  const seen = new Map<string, Terminal>();
  const listeners = new Set<(orderId: string, terminal: Terminal) => void>();
  await consumer.connect();
  await consumer.subscribe({ topics: Object.keys(TOPICS), fromBeginning: false });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      resolve();
    });
  });
  await consumer.run({
    partitionsConsumedConcurrently: 5,
    eachMessage: ({ topic, message }) => {
      const at = performance.now();
      const event = JSON.parse(message.value?.toString() ?? '{}') as { payload?: { orderId?: string; reason?: string } };
      const orderId = event.payload?.orderId;
      const status = TOPICS[topic as keyof typeof TOPICS];
      if (orderId !== undefined && !seen.has(orderId)) {
        const terminal: Terminal = { status, at, ...(event.payload?.reason === undefined ? {} : { reason: event.payload.reason }) };
        seen.set(orderId, terminal);
        for (const listener of listeners) listener(orderId, terminal);
      }
      return Promise.resolve();
    },
  });
  await joined;
  return {
    get: (orderId) => seen.get(orderId),
    onTerminal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
