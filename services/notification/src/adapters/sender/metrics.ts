import { Counter, Histogram, type Registry } from 'prom-client';
import type { DeliveryStep } from '../../domain/delivery-policy.js';
import type { Channel } from '../../domain/notification.js';

/** What the sender counts: each recorded outcome, and how long each attempt took. */
export interface DeliveryMetrics {
  /** An attempt's outcome was recorded: `sent`, `pending` (to be retried) or `failed` (parked). */
  recorded(channel: Channel, state: DeliveryStep['state']): void;
  attempted(channel: Channel, seconds: number): void;
}

/** The names of the sender's metrics, for dashboards and alert rules. */
export const notificationMetricNames = {
  deliveries: 'notification_deliveries_total',
  deliveryAttemptDuration: 'notification_delivery_attempt_seconds',
} as const;

/**
 * `notification_deliveries_total{channel, outcome}` (outcome `sent`, `retried`, `failed`) and
 * `notification_delivery_attempt_seconds{channel}` on `registry`, the service's `/metrics`. A rising
 * `failed` is messages parked for good; a rising `retried` with no `sent` is a provider down.
 */
export function deliveryMetrics(registry: Registry): DeliveryMetrics {
  const deliveries = new Counter({
    name: notificationMetricNames.deliveries,
    help: 'Delivery attempts by channel and recorded outcome (sent, retried, failed)',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  const attempts = new Histogram({
    name: notificationMetricNames.deliveryAttemptDuration,
    help: 'Time one delivery attempt took, by channel',
    labelNames: ['channel'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const outcomes: Readonly<Record<DeliveryStep['state'], string>> = { sent: 'sent', pending: 'retried', failed: 'failed' };
  return {
    recorded: (channel, state) => {
      deliveries.inc({ channel, outcome: outcomes[state] });
    },
    attempted: (channel, seconds) => {
      attempts.observe({ channel }, seconds);
    },
  };
}
