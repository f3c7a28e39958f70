import type pg from 'pg';
import type { PaymentConfig } from '../../config.js';
import type { PaymentGateway } from '../../gateway.js';
import { sandboxBookOn } from '../postgres/sandbox-book.js';
import { sandboxGateway } from './sandbox.js';

/** Builds the gateway from the configuration and the payment database; nothing may connect yet. */
export type GatewayFactory = (config: PaymentConfig, pool: pg.Pool) => PaymentGateway;

/** The gateway `PAYMENT_GATEWAY` names. */
export const configuredGateway: GatewayFactory = (config, pool) => {
  switch (config.PAYMENT_GATEWAY) {
    case 'sandbox':
      return sandboxGateway({ book: sandboxBookOn(pool), latencyMs: config.PAYMENT_SANDBOX_LATENCY, errorRate: config.PAYMENT_SANDBOX_ERROR_RATE });
    case 'stripe':
      throw new Error('PAYMENT_GATEWAY=stripe: the Stripe adapter is not wired into this build');
    default:
      return assertNever(config.PAYMENT_GATEWAY);
  }
};

function assertNever(value: never): never {
  throw new Error(`unhandled gateway ${JSON.stringify(value)}`);
}
