import type { Kafka, Producer, ProducerBatch } from 'kafkajs';

/** One `sendBatch` a relay made. */
export interface RecordedSend {
  /** Which producer sent it, counting from 0 in the order the relay created them. */
  readonly producer: number;
  readonly messages: number;
  /** The error it failed with, by name and type; `undefined` when Kafka acknowledged it. */
  readonly failure: string | undefined;
}

/** The real Kafka client, noting every producer made and every send, and able to break a producer. */
export interface RecordingKafka {
  readonly kafka: Kafka;
  readonly sends: readonly RecordedSend[];
  /** How many producers the relay has created. */
  readonly producers: () => number;
  /** The producers the relay disconnected. */
  readonly disconnected: ReadonlySet<number>;
}

/**
 * Wraps `kafka` so every producer it makes is recorded. `sabotage(producer)` may return an error that
 * producer's sends throw instead of sending anything, as a producer in a broken state does.
 */
export function recordingKafka(kafka: Kafka, sabotage: (producer: number) => Error | undefined = () => undefined): RecordingKafka {
  const sends: RecordedSend[] = [];
  const disconnected = new Set<number>();
  let producers = 0;
  const wrap = (producer: Producer, index: number): Producer =>
    new Proxy(producer, {
      get: (target, property) => {
        if (property === 'sendBatch') {
          return async (batch: ProducerBatch) => {
            const messages = (batch.topicMessages ?? []).reduce((sum, { messages: list }) => sum + list.length, 0);
            const broken = sabotage(index);
            try {
              if (broken !== undefined) throw broken;
              const result = await target.sendBatch(batch);
              sends.push({ producer: index, messages, failure: undefined });
              return result;
            } catch (error) {
              const { name, type } = error as { name?: string; type?: string };
              sends.push({ producer: index, messages, failure: `${name ?? 'Error'} ${type ?? ''}`.trim() });
              throw error;
            }
          };
        }
        if (property === 'disconnect') {
          return async () => {
            disconnected.add(index);
            await target.disconnect();
          };
        }
        return Reflect.get(target, property) as unknown;
      },
    });
  const recording = new Proxy(kafka, {
    get: (target, property) =>
      property === 'producer'
        ? (...args: Parameters<Kafka['producer']>) => {
            const index = producers;
            producers += 1;
            return wrap(target.producer(...args), index);
          }
        : (Reflect.get(target, property) as unknown),
  });
  return { kafka: recording, sends, producers: () => producers, disconnected };
}
