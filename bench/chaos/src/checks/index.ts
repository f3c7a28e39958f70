import type { Kafka } from 'kafkajs';
import type { ServicePools } from '@msa/bench-kit';
import type { MailpitClient } from '@msa/local';
import type { Check } from './check.js';
import { checkConsumers } from './consumers.js';
import { checkMail } from './mail.js';
import { checkOrders, checkPayments, orderOutcomes } from './sagas.js';
import { checkStock } from './stock.js';
import { allEventIds, readStores, unpublishable } from './stores.js';
import { checkDelivery, readTopics } from './topics.js';

export type { Check } from './check.js';

/** Everything the quiescence checks read, and from where. */
export interface Sources {
  readonly pools: ServicePools;
  readonly kafka: Kafka;
  readonly mailpit: MailpitClient;
  /** When the run began: the checks look at what was recorded since. */
  readonly since: Date;
  readonly productIds: readonly string[];
  /** The order ids the driver was answered 201 for. */
  readonly accepted: readonly string[];
}

/** Runs every check over the event stores, the topics and Mailpit, never the services' APIs. */
export async function checkQuiescent(sources: Sources): Promise<Check[]> {
  const events = await readStores(sources.pools, sources.since);
  const knownIds = await allEventIds(sources.pools);
  const orders = orderOutcomes(events);
  const messages = await readTopics(sources.kafka, [...new Set(events.map((event) => event.topic))]);
  return [
    ...checkOrders(orders, sources.accepted),
    ...checkStock(events, sources.productIds, orders),
    ...checkPayments(events, orders),
    ...checkDelivery(events, messages, knownIds, await unpublishable(sources.pools)),
    ...checkConsumers(events, knownIds),
    ...(await checkMail(events, sources.mailpit, sources.since)),
  ];
}
