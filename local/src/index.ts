export { localServers, POSTGRES_PASSWORD, POSTGRES_USER, type LocalServers } from './servers.js';
export { readLocalConfig, repoRoot } from './config.js';
export {
  createTestDatabase,
  createTestMongoDatabase,
  type TestDatabase,
  type TestMongoDatabase,
} from './test-databases.js';
export { createTestTopics } from './test-topics.js';
export { startStallingProxy, type HeldRequests, type StallingProxy } from './stalling-proxy.js';
export { startSwitchableProxy, type SwitchableProxy } from './switchable-proxy.js';
export { startStripeMock, STRIPE_MOCK_API_KEY, type StripeMock, type StripeMockOptions } from './stripe-mock.js';
export { eventually, honouringRetryAfter, type HttpAnswer, whileProgressing, within } from './waiting.js';
export { generateVapidKeys, type VapidKeys } from './vapid-keys.js';
export {
  mailpitClient,
  REFUSED_EMAIL_DOMAIN,
  type Mail,
  type MailAddress,
  type MailpitClient,
  type MailSummary,
} from './mailpit.js';
export {
  readSmsSinkCredentials,
  smsSinkClient,
  type SmsSinkClient,
  type SmsSinkCredentials,
} from './sms-sink/client.js';
export { REFUSED_RECIPIENTS as REFUSED_SMS_RECIPIENTS, type SmsMessage } from './sms-sink/messages.js';
