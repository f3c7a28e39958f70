import type { MongoClient } from 'mongodb';
import { z } from 'zod';
import { env } from '../config/env.js';
import { createMongoClient, DEFAULT_MONGO_TIMEOUT_MS } from './client.js';

const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 10 * 60_000;

/**
 * A service's MongoDB connection as environment variables, to spread into its `loadConfig` schema so
 * every service names and checks them alike: `MONGO_URL` (a secret: it may carry credentials) and
 * `MONGO_TIMEOUT`, the bound on every call (`5s`, `500ms`).
 */
export const mongoVariables = {
  MONGO_URL: env.secret(env.url({ protocols: ['mongodb:', 'mongodb+srv:'] })),
  MONGO_TIMEOUT: env
    .duration()
    .pipe(
      z
        .number()
        .min(MIN_TIMEOUT_MS, `must be at least ${MIN_TIMEOUT_MS}ms`)
        .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS / 60_000}m`),
    )
    .default(DEFAULT_MONGO_TIMEOUT_MS),
};

/** The variables of `mongoVariables`, as loaded. */
export type MongoConfig = z.output<z.ZodObject<typeof mongoVariables>>;

/** A bounded client (`createMongoClient`) from a loaded configuration; nothing connects yet. */
export function mongoClientFrom(config: MongoConfig, appName: string): MongoClient {
  return createMongoClient(config.MONGO_URL.reveal(), { appName, timeoutMs: config.MONGO_TIMEOUT });
}
