import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { consumerGroups, type ConsumerGroup, type ServiceName } from '@msa/contracts';
import { createTestDatabase, createTestMongoDatabase, createTestTopics, localServers, repoRoot, type TestDatabase, type TestMongoDatabase } from '@msa/local';
import { createLogger, createPool, toVerificationJwk, type SigningJwk } from '@msa/platform';
import { serviceTestTopics } from '@msa/platform/testing';
import type { Admin } from 'kafkajs';
import type pg from 'pg';
import request from 'supertest';

/** A service run as a process of its own, as `npm start` runs it, on a spec's namespace: one a spec can kill. */
export interface ServiceProcess {
  readonly name: ServiceName;
  /** `http://127.0.0.1:<port>`, the same across restarts. */
  readonly url: string;
  /** A pool on the service's database, for assertions. */
  readonly pool: pg.Pool;
  api(): ReturnType<typeof request>;
  /** Starts the process and resolves once it is ready; its database and topics stay as they were. */
  start(): Promise<void>;
  /** SIGKILL: no drain, no commit of what is in flight; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (the drain), then drops its database, MongoDB database, groups and topics. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** Options for `startServiceProcess`. */
export interface ServiceProcessOptions {
  readonly namespace: string;
  /** The key the user service signs with: the process verifies its tokens. */
  readonly signingKey: SigningJwk;
  readonly admin: Admin;
  /** The service's own variables and the spec's. */
  readonly environment: Readonly<Record<string, string>>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Runs `services/<name>/dist/src/main.js` (built by `tsc -b`) with the variables `local/lib/services.sh`
 * gives it, pointed at a database and MongoDB database of its own and, through `KAFKA_NAMESPACE`, at
 * the spec's namespace, so it joins the services the spec built in-process. Its topics (those of its
 * groups in the catalog and those it produces) are created first.
 */
export async function startServiceProcess(name: ServiceName, { namespace, signingKey, admin, environment }: ServiceProcessOptions): Promise<ServiceProcess> {
  const script = join(repoRoot, 'services', name, 'dist', 'src', 'main.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: build it with npx tsc -b services/${name}`);
  const servers = localServers();
  const groups = (Object.keys(consumerGroups) as ConsumerGroup[]).filter((group) => consumerGroups[group].service === name);
  const topics = serviceTestTopics({ name, groups }, namespace);
  await createTestTopics(admin, topics);
  const database: TestDatabase = await createTestDatabase(`${name}_service`);
  const mongo: TestMongoDatabase = await createTestMongoDatabase(`${name}_service`);
  const pool = createPool({ connectionString: database.url, applicationName: `${name}-e2e`, logger: createLogger({ service: `${name}-e2e`, level: 'silent' }) });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const variables = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    DATABASE_URL: database.url,
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    MONGO_URL: servers.mongoUrl,
    MONGO_DATABASE: mongo.name,
    REDIS_URL: servers.redisUrl,
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [toVerificationJwk(signingKey)] }),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    KAFKA_NAMESPACE: namespace,
    ...environment,
  };
  let child: ChildProcess | undefined;
  let stderr = '';

  const running = (): ChildProcess | undefined => (child?.exitCode === null && child.signalCode === null ? child : undefined);
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const live = running();
    if (live === undefined) return;
    const exited = once(live, 'exit');
    live.kill(signal);
    await exited;
  };

  const service: ServiceProcess = {
    name,
    url,
    pool,
    api: () => request(url),
    async start() {
      if (running() !== undefined) return;
      stderr = '';
      const started = spawn(process.execPath, [script], { env: variables, stdio: ['ignore', 'ignore', 'pipe'] });
      started.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4_000);
      });
      child = started;
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (running() === undefined) throw new Error(`${name} exited during start-up (${String(started.exitCode ?? started.signalCode)}): ${stderr}`);
        const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((answer) => answer.ok, () => false);
        if (ready) return;
        if (Date.now() > deadline) throw new Error(`${name} not ready within 60 s: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
    async close() {
      await end('SIGTERM');
      await pool.end();
      await admin.deleteGroups(groups.map((group) => `${group}.${namespace}`)).catch(() => undefined);
      await admin.deleteTopics({ topics: topics.map(({ topic }) => topic) }).catch(() => undefined);
      await mongo.drop();
      await database.drop();
    },
  };
  try {
    await service.start();
  } catch (error) {
    await service.close().catch(() => undefined);
    throw error;
  }
  return service;
}
