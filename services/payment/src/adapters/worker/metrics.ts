import { Counter, Histogram, type Registry } from 'prom-client';
import type { PaymentJob } from '../postgres/jobs.js';

/** What a gateway call came to, as the worker counts it. */
export type CallOutcome = 'succeeded' | 'declined' | 'retried' | 'parked';

/** What the worker counts: each call's outcome and how long it took. */
export interface PaymentMetrics {
  called(kind: PaymentJob['kind'], outcome: CallOutcome, seconds: number): void;
}

/** The names of the payment worker's metrics, for dashboards and alert rules. */
export const paymentMetricNames = {
  gatewayCalls: 'payment_gateway_calls_total',
  gatewayCallDuration: 'payment_gateway_call_seconds',
} as const;

/**
 * `payment_gateway_calls_total{gateway, kind, outcome}` and `payment_gateway_call_seconds{gateway,
 * kind}` on `registry`, the service's `/metrics`. A rising `parked` is payments whose outcome stayed
 * unknown after every attempt: each wants a look (the log names it).
 */
export function paymentMetrics(registry: Registry, gateway: string): PaymentMetrics {
  const calls = new Counter({
    name: paymentMetricNames.gatewayCalls,
    help: 'Gateway calls by kind (charge, refund) and outcome (succeeded, declined, retried, parked)',
    labelNames: ['gateway', 'kind', 'outcome'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: paymentMetricNames.gatewayCallDuration,
    help: 'Time one gateway call took, by kind',
    labelNames: ['gateway', 'kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return {
    called(kind, outcome, seconds) {
      calls.inc({ gateway, kind, outcome });
      durations.observe({ gateway, kind }, seconds);
    },
  };
}
