import { randomUUID } from 'node:crypto';
import type { EventStore, Logger, Principal, Service } from '@msa/platform';
import { sharedPerFile, startTestService } from '@msa/platform/testing';
import type { Db } from 'mongodb';
import type pg from 'pg';
import type request from 'supertest';
import { productService } from '../../src/app.js';
import { type ProductConfig, productConfigSchema } from '../../src/config.js';
import { SERVER_TEST_TIMEOUT_MS } from './timeout.js';

export { eventually } from '@msa/local';
export { SERVER_TEST_TIMEOUT_MS };

/** A product service built in-process against the local servers, with a database, topics and group of its own. */
export interface TestService {
  readonly app: Service;
  readonly config: ProductConfig;
  /** The suffix of this service's topics and groups (`createService`'s `namespace`). */
  readonly namespace: string;
  /** The read models' database, for assertions. */
  readonly mongo: Db;
  /** The service's event store and its database, for assertions. */
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** A supertest client of the service's HTTP API. */
  api(): ReturnType<typeof request>;
  /**
   * An `Authorization` header for `roles`, signed as the user service signs its tokens: its issuer,
   * the platform's audience, a key the service's `JWT_PUBLIC_KEYS` lists.
   */
  bearer(roles: Principal['roles']): Promise<string>;
  close(): Promise<void>;
}

/** Options for `startProductService`. */
export interface TestServiceOptions {
  /** Other variables of the service's environment, as strings. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Starts the service as main.ts would, but in-process, with `LOG_LEVEL` from the environment (silent by default). */
export async function startProductService({ environment }: TestServiceOptions = {}): Promise<TestService> {
  const { service, config, namespace, mongo, store, pool, logger, api, bearer, close } = await startTestService(
    productService(),
    productConfigSchema,
    {},
    { environment },
  );
  return {
    app: service,
    config,
    namespace,
    mongo: mongo.db,
    store,
    pool,
    logger,
    api,
    bearer: (roles) => bearer({ userId: randomUUID(), email: `${roles.join('-')}@example.com`, roles }),
    close,
  };
}

/** The service a spec file shares, usable once its `beforeAll` has run; see `useProductService`. */
export type SharedTestService = Omit<TestService, 'close'>;

/**
 * The product service a spec file shares, started with `options` in its `beforeAll` and closed in its
 * `afterAll`. Call it first inside `describe`, so its `beforeAll` runs before the spec's own.
 */
export function useProductService(options: TestServiceOptions = {}): SharedTestService {
  return sharedPerFile<TestService>(
    'product service',
    () => startProductService(options),
    {
    app: 'value',
    config: 'value',
    namespace: 'value',
    mongo: 'value',
    store: 'value',
    pool: 'value',
    logger: 'value',
    api: 'method',
    bearer: 'method',
    },
    SERVER_TEST_TIMEOUT_MS,
  );
}
