import type { RetryOptions } from 'kafkajs';

/**
 * How every platform Kafka client retries what fails: its connections, metadata refreshes and
 * requests, a consumer's fetch loop, a producer's sends. kafkajs's own default gives up after five
 * retries, 300 ms doubling (about 9 s), less than a broker killed and restarted is away (kill -9 to
 * ready measured 7.6 to 8.8 s, log recovery under load more): its consumers then crashed and joined
 * again as new members, so each group waited for a rebalance, and the relay's sends gave up. These
 * retry for about 30 s, so a client rides out a restart with its connections, member id and
 * producer id, and never more than a second apart (kafkajs's delay grows to 30 s), so it is back
 * within a second of the broker. Every field is set: when NODE_ENV is `test` kafkajs swaps in
 * quicker defaults of its own, and specs should see what runs.
 */
export const BROKER_RESTART_RETRY: Readonly<Required<Pick<RetryOptions, 'initialRetryTime' | 'maxRetryTime' | 'multiplier' | 'factor' | 'retries'>>> = {
  initialRetryTime: 300,
  maxRetryTime: 1_000,
  multiplier: 2,
  factor: 0.2,
  // 0.3 + 0.6 + 28 × 1 s: about 29 s of waiting, give or take the 20 % jitter, plus the attempts.
  retries: 30,
};
