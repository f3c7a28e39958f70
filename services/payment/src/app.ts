import { createCommandHandler, type ServiceDefinition } from '@msa/platform';
import { processorHandlers } from './adapters/consumers/processor.js';
import { configuredGateway, type GatewayFactory } from './adapters/gateway/configured.js';
import { paymentRoutes } from './adapters/http/routes.js';
import { paymentQueries } from './adapters/mongo/payment-queries.js';
import { paymentReadModel } from './adapters/mongo/payment-read-model.js';
import { chargeAttempts, jobsOn, rearmParked } from './adapters/postgres/jobs.js';
import { paymentMigrations } from './adapters/postgres/schema.js';
import { paymentMetrics } from './adapters/worker/metrics.js';
import { outcomeRecorder } from './adapters/worker/outcomes.js';
import { createProcessor } from './adapters/worker/processor.js';
import { paymentConfigSchema } from './config.js';
import { paymentDecider } from './domain/decide.js';

/** Options for `paymentService`. */
export interface PaymentServiceOptions {
  /** @default the gateway `PAYMENT_GATEWAY` names */
  readonly gateway?: GatewayFactory;
}

/**
 * The payment service on the platform's kit: the `payment.processor` group, which records charges
 * and refunds to make, the worker that makes them through the gateway, and the payments read model
 * behind `GET /api/payments`.
 */
export function paymentService({ gateway = configuredGateway }: PaymentServiceOptions = {}): ServiceDefinition<typeof paymentConfigSchema> {
  return {
    name: 'payment',
    version: '1.0.0',
    title: 'Payment service',
    config: paymentConfigSchema,
    migrations: paymentMigrations,
    readModels: { group: 'payment.read-model', definitions: [paymentReadModel] },
    build({ config, logger, metrics, pool, store, readModel, requireAuth }) {
      const payments = createCommandHandler({ store, decider: paymentDecider });
      const provider = gateway(config, pool);
      const worker = createProcessor({
        jobs: jobsOn(pool),
        gateway: provider,
        record: outcomeRecorder(pool, payments),
        policy: { maxAttempts: config.PAYMENT_MAX_ATTEMPTS, backoffBaseMs: config.PAYMENT_BACKOFF_BASE, backoffMaxMs: config.PAYMENT_BACKOFF_MAX, jitter: 0.2 },
        logger,
        metrics: paymentMetrics(metrics.registry, provider.name),
        pollIntervalMs: config.PAYMENT_WORKER_POLL_INTERVAL,
        batchSize: config.PAYMENT_WORKER_BATCH_SIZE,
        gatewayTimeoutMs: config.PAYMENT_GATEWAY_TIMEOUT,
        leaseMs: config.PAYMENT_LEASE,
      });
      return {
        routes: paymentRoutes({
          payments: paymentQueries({ payments: readModel(paymentReadModel), attempts: (ids) => chargeAttempts(pool, ids) }),
          parked: {
            async rearm(paymentId) {
              const kinds = await rearmParked(pool, paymentId);
              if (kinds.length > 0) worker.wake();
              return kinds;
            },
          },
          authenticated: requireAuth(),
          adminOnly: requireAuth(['admin']),
        }),
        consumers: [
          {
            group: 'payment.processor',
            handlers: processorHandlers({ payments, store, queued: () => { worker.wake(); } }),
          },
        ],
        workers: [worker],
      };
    },
  };
}
