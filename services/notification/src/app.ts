import { createCommandHandler, type ServiceDefinition } from '@msa/platform';
import { type Channels, createChannels } from './adapters/channels/channels.js';
import { loadTemplates } from './adapters/channels/templates.js';
import { dispatcherHandlers } from './adapters/consumers/dispatcher.js';
import { triggerHandlers } from './adapters/consumers/triggers.js';
import { notificationRoutes } from './adapters/http/routes.js';
import { createHistorySync, historyCollection } from './adapters/mongo/history.js';
import { historyQueries } from './adapters/mongo/history-queries.js';
import { ledgerOn } from './adapters/postgres/ledger.js';
import { pushSubscriptionsOn, removeGoneSubscription } from './adapters/postgres/push-subscriptions.js';
import { notificationMigrations } from './adapters/postgres/schema.js';

import { deliveryMetrics } from './adapters/sender/metrics.js';
import { createSender } from './adapters/sender/sender.js';
import { type NotificationConfig, notificationConfigSchema } from './config.js';
import { notificationDecider } from './domain/decide.js';

/** Builds the channels from the configuration; nothing may connect yet. */
export type ChannelsFactory = (config: NotificationConfig) => Channels | Promise<Channels>;

/** Options for `notificationService`. */
export interface NotificationServiceOptions {
  /** @default the SMTP, SMS and Web Push channels the configuration names, on the shipped templates */
  readonly channels?: ChannelsFactory;
}

const configuredChannels: ChannelsFactory = async (config) => createChannels(config, await loadTemplates());

/**
 * The notification service on the platform's kit: the triggers and the dispatcher (two consumer
 * groups), the sender loop (a worker), the history in MongoDB and the push subscription routes.
 */
export function notificationService({ channels = configuredChannels }: NotificationServiceOptions = {}): ServiceDefinition<typeof notificationConfigSchema> {
  return {
    name: 'notification',
    version: '1.0.0',
    title: 'Notification service',
    config: notificationConfigSchema,
    migrations: notificationMigrations,
    mongo: true,
    async build({ config, logger, metrics, pool, store, mongo, requireAuth }) {
      const sender = createSender({
        ledger: ledgerOn(pool),
        channels: await channels(config),
        policy: {
          maxAttempts: config.SENDER_MAX_ATTEMPTS,
          backoffBaseMs: config.SENDER_BACKOFF_BASE,
          backoffMaxMs: config.SENDER_BACKOFF_MAX,
          jitter: 0.2,
        },
        logger,
        metrics: deliveryMetrics(metrics.registry),
        pollIntervalMs: config.SENDER_POLL_INTERVAL,
        batchSize: config.SENDER_BATCH_SIZE,
        attemptTimeoutMs: config.SENDER_ATTEMPT_TIMEOUT,
        leaseMs: config.SENDER_LEASE,
        afterRound: createHistorySync({ pool, db: mongo }),
        subscriptionGone: (endpoint) => removeGoneSubscription(pool, endpoint),
      });
      const notifications = createCommandHandler({ store, decider: notificationDecider });
      return {
        routes: notificationRoutes({
          history: historyQueries(historyCollection(mongo)),
          subscriptions: pushSubscriptionsOn(pool),
          vapidPublicKey: config.VAPID_PUBLIC_KEY,
          allowLoopbackHttp: config.PUSH_ALLOW_LOOPBACK_HTTP,
          authenticated: requireAuth(),
        }),
        consumers: [
          {
            group: 'notification.triggers',
            handlers: triggerHandlers({ notifications, settings: { appBaseUrl: config.APP_BASE_URL, adminEmails: config.ADMIN_ALERT_EMAILS } }),
          },
          { group: 'notification.dispatcher', handlers: dispatcherHandlers({ delivered: () => { sender.wake(); } }) },
        ],
        workers: [sender],
      };
    },
  };
}
