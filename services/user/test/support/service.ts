import { type EventStore, type Logger, type RecordedEvent, type Service } from '@msa/platform';
import { sharedPerFile, startTestService } from '@msa/platform/testing';
import type { Db } from 'mongodb';
import type pg from 'pg';
import type request from 'supertest';
import { userService } from '../../src/app.js';
import { type UserConfig, userConfigSchema } from '../../src/config.js';
import { SERVER_TEST_TIMEOUT_MS } from './timeout.js';

export { eventually } from '@msa/local';
export { SERVER_TEST_TIMEOUT_MS };

/** The password every spec registers its users with. */
export const PASSWORD = 'correct horse battery staple';

/** A user service built in-process against the local servers, with a database, topics and group of its own. */
export interface TestService {
  readonly app: Service;
  /** The suffix of its topics and groups, and of its keys in Redis: another service built in the spec shares it to see its revocations. */
  readonly namespace: string;
  readonly config: UserConfig;
  /** The read model's database, for assertions. */
  readonly mongo: Db;
  /** The service's event store and its database, for assertions. */
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** A supertest client of the service's HTTP API. */
  api(): ReturnType<typeof request>;
  /**
   * Registers `email` as `name` (by default the address's local part) with `PASSWORD`, expecting a
   * 201, and logs in: the access token.
   */
  registerAndLogIn(email: string, name?: string): Promise<string>;
  /**
   * Every event the store holds, committed up to now, by time. Not `store.readAll`: that stops at the
   * log's horizon (the oldest transaction running anywhere in the PostgreSQL cluster), so while
   * another spec holds a transaction open it leaves out events that have committed.
   */
  storedEvents(): Promise<readonly RecordedEvent[]>;
  close(): Promise<void>;
}

/** Options for `startUserService`. */
export interface TestServiceOptions {
  readonly adminEmails?: readonly string[];
  /** The read model's server, when not the local one (a proxy in front of it, say). */
  readonly mongoUrl?: string;
  /** Other variables of the service's environment, as strings. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Starts the service as main.ts would, but in-process, with `LOG_LEVEL` from the environment (silent by default). */
export async function startUserService({ adminEmails = [], mongoUrl, environment }: TestServiceOptions = {}): Promise<TestService> {
  const { service, namespace, config, mongo, store, pool, logger, api, close } = await startTestService(
    userService(),
    userConfigSchema,
    { ADMIN_EMAILS: adminEmails.join(',') },
    { mongoUrl, environment },
  );
  return {
    app: service,
    namespace,
    config,
    mongo: mongo.db,
    store,
    pool,
    logger,
    api,
    async registerAndLogIn(email, name = email.slice(0, email.indexOf('@'))) {
      expect((await api().post('/api/users').send({ email, password: PASSWORD, name })).status).toBe(201);
      const login = await api().post('/api/users/login').send({ email, password: PASSWORD });
      return (login.body as { accessToken: string }).accessToken;
    },
    storedEvents: () => store.readByTimeRange({ from: new Date(0), to: new Date(Date.now() + 1_000), limit: 100_000 }),
    close,
  };
}

/** The service a spec file shares, usable once its `beforeAll` has run; see `useUserService`. */
export type SharedTestService = Omit<TestService, 'close'>;

/**
 * The user service a spec file shares, started with `options` in its `beforeAll` and closed in its
 * `afterAll`. Call it first inside `describe`, so its `beforeAll` runs before the spec's own.
 */
export function useUserService(options: TestServiceOptions = {}): SharedTestService {
  return sharedPerFile<TestService>(
    'user service',
    () => startUserService(options),
    {
    app: 'value',
    namespace: 'value',
    config: 'value',
    mongo: 'value',
    store: 'value',
    pool: 'value',
    logger: 'value',
    api: 'method',
    registerAndLogIn: 'method',
    storedEvents: 'method',
    },
    SERVER_TEST_TIMEOUT_MS,
  );
}
