import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ServiceName } from '@msa/contracts';
import { generateVapidKeys, localServers, readSmsSinkCredentials } from '@msa/local';
import { createKafka, createLogger, type Service, type SigningJwk } from '@msa/platform';
import { startTestService, type TestServiceHarnessOptions } from '@msa/platform/testing';
import type { Admin, Kafka } from 'kafkajs';
import type pg from 'pg';
import type request from 'supertest';
import { inventoryService } from '../../../services/inventory/src/app.js';
import { inventoryConfigSchema } from '../../../services/inventory/src/config.js';
import { notificationService } from '../../../services/notification/src/app.js';
import { notificationConfigSchema } from '../../../services/notification/src/config.js';
import { orderService } from '../../../services/order/src/app.js';
import { orderConfigSchema } from '../../../services/order/src/config.js';
import { paymentService } from '../../../services/payment/src/app.js';
import { paymentConfigSchema } from '../../../services/payment/src/config.js';
import { productService } from '../../../services/product/src/app.js';
import { productConfigSchema } from '../../../services/product/src/config.js';
import { userService } from '../../../services/user/src/app.js';
import { userConfigSchema } from '../../../services/user/src/config.js';
import { startServiceProcess, type ServiceProcess } from './service-process.js';

/** Time a flow across the services may take; passed to each hook and test, as jest reads `testTimeout` only from the root config. */
export const FLOW_TIMEOUT_MS = 90_000;

/** Time building or closing the six services may take on a loaded machine; for the hooks that do. */
export const PLATFORM_TIMEOUT_MS = 180_000;

/** The services of the saga, the ones a spec may run as processes of their own. */
export type SagaService = 'inventory' | 'payment' | 'order';

/** Options for `startPlatform`. */
export interface PlatformOptions {
  /** Variables of a service over the harness's: short deadlines, a slow sandbox. */
  readonly environment?: Readonly<Partial<Record<ServiceName, Readonly<Record<string, string>>>>>;
  /** Services run as child processes from their built `dist/src/main.js` instead of in-process, so a spec can kill them. */
  readonly processes?: readonly SagaService[];
}

/** The services of one platform built in-process, as `npm start` runs them, but apart from every other test. */
export interface TestPlatform {
  /** The suffix of every topic, group and Redis key of this platform. */
  readonly namespace: string;
  /** The address the user service makes an admin on sign-up. */
  readonly adminEmail: string;
  /** The key the user service signs tokens with and every service verifies them by. */
  readonly signingKey: SigningJwk;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly user: ReturnType<typeof request>;
  readonly product: ReturnType<typeof request>;
  readonly inventory: ReturnType<typeof request>;
  readonly payment: ReturnType<typeof request>;
  readonly order: ReturnType<typeof request>;
  readonly notification: ReturnType<typeof request>;
  /** Pools on the saga services' databases (event stores, sagas, sandbox), for assertions. */
  readonly pools: Readonly<Record<SagaService, pg.Pool>>;
  /** A service the options ran as a process. */
  process(name: SagaService): ServiceProcess;
  /** Serves an in-process service's HTTP API on a free port of 127.0.0.1 until `close`: its base URL, for a client that is not supertest. */
  serve(name: ServiceName): Promise<string>;
  close(): Promise<void>;
}

const servers = localServers();

/** What the platform needs of a service built in-process. */
interface BuiltService {
  readonly service: Service;
  readonly pool: pg.Pool;
  api(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * Builds the six services on the local servers with one namespace (so they see each other's
 * topics and Redis keys and nobody else's), one token signing key (the user service signs, every
 * service verifies), Redis, the sandbox gateway, and the local Mailpit and SMS sink, then starts
 * them in the order `npm start` does. Each creates the topics it publishes to and consumes; a topic
 * two of them share is made once. A service named in `processes` runs as its built main.js instead.
 */
export async function startPlatform({ environment = {}, processes = [] }: PlatformOptions = {}): Promise<TestPlatform> {
  const namespace = randomUUID().replaceAll('-', '').slice(0, 12);
  const adminEmail = `admin-${namespace}@e2e.example`;
  const kafka = createKafka({ clientId: `e2e-${namespace}`, brokers: servers.kafkaBrokers, logger: createLogger({ service: 'e2e', level: 'silent' }) });
  const admin = kafka.admin();
  await admin.connect();
  const redis = { REDIS_URL: servers.redisUrl };
  const built: BuiltService[] = [];
  const inProcess = new Map<ServiceName, Service>();
  const listening: Server[] = [];
  const children = new Map<SagaService, ServiceProcess>();
  const closeAll = async (): Promise<void> => {
    for (const server of listening.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    // Every service stops before any drops its topics, some of which the others consume.
    for (const name of [...children.keys()].reverse()) await children.get(name)?.stop();
    for (const { service } of [...built].reverse()) await service.stop();
    for (const child of [...children.values()].reverse()) await child.close();
    for (const harness of [...built].reverse()) await harness.close();
    await admin.disconnect();
  };
  try {
    const user = await startTestService(userService(), userConfigSchema, { ADMIN_EMAILS: adminEmail, ...environment.user }, { namespace, environment: redis });
    built.push(user);
    inProcess.set('user', user.service);
    const shared: TestServiceHarnessOptions = { namespace, signingKey: user.signingKey, environment: redis };
    const product = await startTestService(productService(), productConfigSchema, { ...environment.product }, shared);
    built.push(product);
    inProcess.set('product', product.service);

    const saga: Partial<Record<SagaService, Pick<BuiltService, 'api' | 'pool'>>> = {};
    const start = async (name: SagaService, build: () => Promise<BuiltService>): Promise<void> => {
      if (processes.includes(name)) {
        const child = await startServiceProcess(name, { namespace, signingKey: user.signingKey, admin, environment: { ...environment[name] } });
        children.set(name, child);
        saga[name] = child;
      } else {
        const harness = await build();
        built.push(harness);
        inProcess.set(name, harness.service);
        saga[name] = harness;
      }
    };
    await start('inventory', () => startTestService(inventoryService(), inventoryConfigSchema, { ...environment.inventory }, shared));
    await start('payment', () => startTestService(paymentService(), paymentConfigSchema, { ...environment.payment }, shared));
    await start('order', () => startTestService(orderService(), orderConfigSchema, { ...environment.order }, shared));

    const notification = await startTestService(
      notificationService(),
      notificationConfigSchema,
      { ...notificationEnvironment(adminEmail), ...environment.notification },
      shared,
    );
    built.push(notification);
    inProcess.set('notification', notification.service);
    const of = (name: SagaService) => {
      const part = saga[name];
      if (part === undefined) throw new Error(`${name} did not start`);
      return part;
    };

    return {
      namespace,
      adminEmail,
      signingKey: user.signingKey,
      kafka,
      admin,
      get user() {
        return user.api();
      },
      get product() {
        return product.api();
      },
      get inventory() {
        return of('inventory').api();
      },
      get payment() {
        return of('payment').api();
      },
      get order() {
        return of('order').api();
      },
      get notification() {
        return notification.api();
      },
      pools: { inventory: of('inventory').pool, payment: of('payment').pool, order: of('order').pool },
      process(name) {
        const child = children.get(name);
        if (child === undefined) throw new Error(`${name} runs in-process; name it in the platform's processes`);
        return child;
      },
      async serve(name) {
        const service = inProcess.get(name);
        if (service === undefined) throw new Error(`${name} runs as a process; serve only an in-process service`);
        const server = await service.http.listen(0, '127.0.0.1');
        listening.push(server);
        const address = server.address();
        if (address === null || typeof address === 'string') throw new Error(`${name} listens on no TCP port`);
        return `http://127.0.0.1:${address.port}`;
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

/**
 * The variables the notification service needs beyond the harness's: the local Mailpit and SMS sink,
 * a fresh VAPID key pair, and `adminEmail` for its admin alerts.
 */
export function notificationEnvironment(adminEmail: string): Record<string, string> {
  const sms = readSmsSinkCredentials();
  const vapid = generateVapidKeys();
  return {
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
  };
}
