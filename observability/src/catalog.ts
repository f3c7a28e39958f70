import { notificationMetricNames } from '@msa/notification-service/metrics';
import { operatorMetricNames } from '@msa/operator/metrics';
import { orderMetricNames } from '@msa/order-service/metrics';
import { paymentMetricNames } from '@msa/payment-service/metrics';
import { cacheMetricNames, platformMetricNames, processMetricNames } from '@msa/platform/metrics';

/**
 * Every metric name a dashboard or a rule may use, imported from the module that registers it.
 * Every series carries `service` (the program's name), set by the scrape configuration.
 */
export const metrics = {
  platform: platformMetricNames,
  process: processMetricNames,
  cache: cacheMetricNames,
  order: orderMetricNames,
  payment: paymentMetricNames,
  notification: notificationMetricNames,
  operator: operatorMetricNames,
} as const;
