import { randomUUID } from 'node:crypto';
import { generateVapidKeys, localServers, readSmsSinkCredentials } from '@msa/local';
import { startTestService, type TestServiceHarnessOptions } from '@msa/platform/testing';
import type request from 'supertest';
import { notificationService } from '../../../services/notification/src/app.js';
import { notificationConfigSchema } from '../../../services/notification/src/config.js';
import { productService } from '../../../services/product/src/app.js';
import { productConfigSchema } from '../../../services/product/src/config.js';
import { userService } from '../../../services/user/src/app.js';
import { userConfigSchema } from '../../../services/user/src/config.js';

/** Time a flow across the services may take; passed to each hook and test, as jest reads `testTimeout` only from the root config. */
export const FLOW_TIMEOUT_MS = 90_000;

/** The services of one platform built in-process, as `npm start` runs them, but apart from every other test. */
export interface TestPlatform {
  /** The address the user service makes an admin on sign-up. */
  readonly adminEmail: string;
  readonly user: ReturnType<typeof request>;
  readonly product: ReturnType<typeof request>;
  readonly notification: ReturnType<typeof request>;
  close(): Promise<void>;
}

const servers = localServers();

/**
 * Builds the user, product and notification services on the local servers with one namespace (so
 * they see each other's topics and Redis keys and nobody else's), one token signing key (the user
 * service signs, every service verifies), Redis, and the local Mailpit and SMS sink, then starts them.
 * Each creates the topics it publishes to and consumes; a topic two of them share is made once.
 */
export async function startPlatform(): Promise<TestPlatform> {
  const namespace = randomUUID().replaceAll('-', '').slice(0, 12);
  const adminEmail = `admin-${namespace}@e2e.example`;
  const environment = { REDIS_URL: servers.redisUrl };
  const user = await startTestService(userService(), userConfigSchema, { ADMIN_EMAILS: adminEmail }, { namespace, environment });
  const shared: TestServiceHarnessOptions = { namespace, signingKey: user.signingKey, environment };
  const product = await startTestService(productService(), productConfigSchema, {}, shared);
  const sms = readSmsSinkCredentials();
  const vapid = generateVapidKeys();
  const notification = await startTestService(
    notificationService(),
    notificationConfigSchema,
    {
      APP_BASE_URL: 'http://127.0.0.1:8081',
      ADMIN_ALERT_EMAILS: adminEmail,
      SMTP_URL: servers.mailpitSmtpUrl,
      SMTP_FROM: 'MSA Shop <no-reply@msa.local>',
      SMS_API_URL: servers.smsSinkUrl,
      SMS_ACCOUNT_ID: sms.accountSid,
      SMS_AUTH_TOKEN: sms.authToken,
      SMS_FROM: '+15005550006',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:admin@msa.local',
    },
    shared,
  );
  const built = [user, product, notification];

  return {
    adminEmail,
    get user() {
      return user.api();
    },
    get product() {
      return product.api();
    },
    get notification() {
      return notification.api();
    },
    async close() {
      // Every service stops before any drops its topics, some of which the others consume.
      for (const { service } of [...built].reverse()) await service.stop();
      for (const harness of [...built].reverse()) await harness.close();
    },
  };
}
