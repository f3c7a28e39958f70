import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor, eventTopics } from '@msa/contracts';
import {
  createTestDatabase,
  createTestMongoDatabase,
  createTestTopics,
  generateVapidKeys,
  localServers,
  readSmsSinkCredentials,
  type TestDatabase,
  type TestMongoDatabase,
} from '@msa/local';
import {
  createKafka,
  createLogger,
  createService,
  generateSigningKey,
  loadConfig,
  type Service,
  type ServiceConfigSchema,
  type ServiceDefinition,
  toVerificationJwk,
} from '@msa/platform';
import request from 'supertest';
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
 * Topics the broker does not create by itself, named for this platform: every catalog topic and
 * its DLT, as the operator makes them for `npm start`.
 */
function platformTopics(namespace: string): { topic: string; numPartitions: number }[] {
  return eventTopics.flatMap(({ name, partitions }) =>
    [`${name}.${namespace}`, deadLetterTopicFor(`${name}.${namespace}`)].map((topic) => ({ topic, numPartitions: partitions })),
  );
}

interface Built {
  readonly service: Service;
  readonly databases: readonly (TestDatabase | TestMongoDatabase)[];
}

/**
 * Builds the user, product and notification services on the local servers with one namespace (so
 * they see each other's topics and Redis keys and nobody else's), one token signing key (the user
 * service signs, every service verifies) and the local Mailpit and SMS sink, then starts them.
 */
export async function startPlatform(): Promise<TestPlatform> {
  const namespace = randomUUID().replaceAll('-', '').slice(0, 12);
  const key = await generateSigningKey({ kid: `e2e-${namespace}` });
  const adminEmail = `admin-${namespace}@e2e.example`;
  const logger = createLogger({ service: 'e2e', level: 'silent' });
  const admin = createKafka({ clientId: 'e2e', brokers: servers.kafkaBrokers, logger }).admin();
  await admin.connect();
  await createTestTopics(admin, platformTopics(namespace));
  await admin.disconnect();

  const shared = {
    PORT: '0',
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    MONGO_URL: servers.mongoUrl,
    REDIS_URL: servers.redisUrl,
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(key)] }),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  };
  const sms = readSmsSinkCredentials();
  const vapid = generateVapidKeys();

  async function build<S extends ServiceConfigSchema>(
    definition: ServiceDefinition<S>,
    schema: S,
    own: Readonly<Record<string, string>>,
  ): Promise<Built> {
    const database = await createTestDatabase(`e2e_${definition.name}`);
    const readModels = await createTestMongoDatabase(`e2e_${definition.name}`);
    const config = loadConfig(schema, { ...shared, DATABASE_URL: database.url, MONGO_DATABASE: readModels.name, ...own });
    const service = await createService(definition, config, {
      logger: createLogger({ service: definition.name, level: config.LOG_LEVEL }),
      namespace,
    });
    await service.start();
    return { service, databases: [database, readModels] };
  }

  const built = [
    await build(userService(), userConfigSchema, { JWT_PRIVATE_KEY: JSON.stringify(key), ADMIN_EMAILS: adminEmail }),
    await build(productService(), productConfigSchema, {}),
    await build(notificationService(), notificationConfigSchema, {
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
    }),
  ];
  const [user, product, notification] = built.map(({ service }) => () => request(service.http.app));
  if (user === undefined || product === undefined || notification === undefined) throw new Error('three services were built');

  return {
    adminEmail,
    get user() {
      return user();
    },
    get product() {
      return product();
    },
    get notification() {
      return notification();
    },
    async close() {
      for (const { service } of [...built].reverse()) await service.stop();
      for (const { databases } of built) for (const database of databases) await database.drop();
    },
  };
}
