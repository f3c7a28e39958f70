import { randomUUID } from 'node:crypto';
import { createCommandHandler, type ServiceDefinition } from '@msa/platform';
import { priceListHandlers } from './adapters/consumers/price-list.js';
import { sagaHandlers } from './adapters/consumers/saga.js';
import { createDeadlineWorker } from './adapters/deadlines/deadline-worker.js';
import { mapOrderError } from './adapters/http/errors.js';
import { orderRoutes } from './adapters/http/routes.js';
import { listOrders } from './adapters/mongo/order-queries.js';
import { orderReadModel } from './adapters/mongo/order-read-model.js';
import { createOrderCommands } from './adapters/postgres/order-commands.js';
import { readOrder } from './adapters/postgres/order-reads.js';
import { readOverdueSagas } from './adapters/postgres/sagas.js';
import { orderMigrations } from './adapters/postgres/schema.js';
import { sagaMetrics } from './adapters/saga/metrics.js';
import { createSagaShell } from './adapters/saga/saga-shell.js';
import { orderConfigSchema } from './config.js';
import { orderDecider } from './domain/order-decider.js';

/** Options for `orderService`. */
export interface OrderServiceOptions {
  /** The saga's clock: its steps' times and its deadlines. @default () => new Date() */
  readonly clock?: () => Date;
}

/**
 * The order service on the platform's kit: its routes, the price list (`order.price-list`), the
 * saga (`order.saga`) and its deadline worker, the orders read model in MongoDB, and the tables of
 * its own beside the event store. The kit does the rest (`runService`, `createService`).
 */
export function orderService({ clock = () => new Date() }: OrderServiceOptions = {}): ServiceDefinition<typeof orderConfigSchema> {
  return {
    name: 'order',
    version: '1.0.0',
    title: 'Order service',
    config: orderConfigSchema,
    migrations: orderMigrations,
    readModels: { group: 'order.read-model', definitions: [orderReadModel] },
    build({ config, logger, metrics, pool, store, readModel, requireAuth }) {
      const orders = createCommandHandler({ store, decider: orderDecider, clock });
      const timeouts = { reservationMs: config.ORDER_RESERVATION_TIMEOUT, paymentMs: config.ORDER_PAYMENT_TIMEOUT };
      const saga = sagaMetrics(metrics.registry, { overdue: () => readOverdueSagas(pool, clock()), logger });
      const shell = createSagaShell({ orders, timeouts, clock, metrics: saga });
      const orderList = readModel(orderReadModel);
      return {
        routes: orderRoutes({
          commands: createOrderCommands({ pool, store, orders, shell, timeouts, newId: randomUUID, metrics: saga }),
          reads: { order: (orderId) => readOrder(store, pool, orderId), list: (listing) => listOrders(orderList, listing) },
          authenticated: requireAuth(),
          pageSize: { defaultLimit: config.ORDER_PAGE_SIZE, maxLimit: config.ORDER_MAX_PAGE_SIZE },
        }),
        mapError: mapOrderError,
        consumers: [
          { group: 'order.price-list', handlers: priceListHandlers() },
          { group: 'order.saga', handlers: sagaHandlers(shell) },
        ],
        workers: [
          createDeadlineWorker({
            pool,
            shell,
            logger,
            clock,
            pollIntervalMs: config.ORDER_DEADLINE_POLL_INTERVAL,
            retryDelayMs: config.ORDER_DEADLINE_RETRY_DELAY,
          }),
        ],
      };
    },
  };
}
