import type pg from 'pg';
import type { PaymentConfig } from '../../config.js';
import type { PaymentGateway } from '../../gateway.js';
import { sandboxBookOn } from '../postgres/sandbox-book.js';
import { sandboxGateway } from './sandbox.js';
import { stripeClient, stripeGateway } from './stripe.js';

/** Builds the gateway from the configuration and the payment database; nothing may connect yet. */
export type GatewayFactory = (config: PaymentConfig, pool: pg.Pool) => PaymentGateway;

/** The gateway `PAYMENT_GATEWAY` names. */
export const configuredGateway: GatewayFactory = (config, pool) => {
  switch (config.PAYMENT_GATEWAY) {
    case 'sandbox':
      return sandboxGateway({ book: sandboxBookOn(pool), latencyMs: config.PAYMENT_SANDBOX_LATENCY, errorRate: config.PAYMENT_SANDBOX_ERROR_RATE });
    case 'stripe': {
      const { STRIPE_API_KEY: apiKey, STRIPE_API_BASE: apiBase } = config;
      // The schema refuses stripe without both; this only tells the compiler.
      if (apiKey === undefined || apiBase === undefined) throw new Error('PAYMENT_GATEWAY=stripe needs STRIPE_API_KEY and STRIPE_API_BASE');
      return stripeGateway(stripeClient({ apiKey: apiKey.reveal(), apiBase, timeoutMs: config.PAYMENT_GATEWAY_TIMEOUT }));
    }
    default:
      return assertNever(config.PAYMENT_GATEWAY);
  }
};

function assertNever(value: never): never {
  throw new Error(`unhandled gateway ${JSON.stringify(value)}`);
}
