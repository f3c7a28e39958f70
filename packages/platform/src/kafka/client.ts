import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import type { Logger } from 'pino';
import { pinoLogCreator } from './log-creator.js';
import { BROKER_RESTART_RETRY } from './retry.js';

/** Options for `createKafka`. */
export interface KafkaClientOptions {
  /** Names the program to the brokers (their logs and quotas), such as `user-service` or `dlt-cli`. */
  readonly clientId: string;
  /** Bootstrap servers, `host:port`. */
  readonly brokers: readonly string[];
  /** The program's logger; kafkajs writes through a child of it with `component: 'kafkajs'`. */
  readonly logger: Logger;
  /** Opens every broker connection: a test's proxy in front of the broker. @default kafkajs's own TCP sockets */
  readonly socketFactory?: ISocketFactory | undefined;
}

/**
 * The Kafka client every platform program uses: its log entries go to the program's pino logger, so
 * there is one log format, instead of kafkajs's own console lines; and it retries long enough to ride
 * out a broker restart (`BROKER_RESTART_RETRY`), which its admins and producers inherit. Producers
 * come from `createProducer`, which sets what the platform relies on.
 */
export function createKafka({ clientId, brokers, logger, socketFactory }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    // kafkajs's info and debug entries narrate every connection and rebalance; warnings and errors
    // are what someone acts on. The logger then filters by its own level as for any other line.
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
    retry: { ...BROKER_RESTART_RETRY },
    ...(socketFactory === undefined ? {} : { socketFactory }),
  });
}
