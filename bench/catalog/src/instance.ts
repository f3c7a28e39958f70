import type { AddressInfo } from 'node:net';
import { createLogger, createPlatformMetrics, createService, loadConfig, type Service } from '@msa/platform';
import { productService } from '@msa/product-service/dist/src/app.js';
import { productConfigSchema } from '@msa/product-service/dist/src/config.js';
import { serveParent } from './ipc.js';
import { windowProfiler } from './profiler.js';
import { InstanceRequest } from './protocol.js';
import { cacheReads, processWindow, since, type CacheReads, type WindowFigures } from './window.js';

// One product service instance in a process of its own, built with `createService` as its
// integration specs build it, so an instance idle between its loads takes no CPU from the one
// being measured, and the load generator has its own process too. The parent drives it over IPC.


let running: { service: Service; close: () => Promise<void>; counted: () => Promise<CacheReads> } | undefined;
const window = processWindow();
const profiler = windowProfiler();
let opened: CacheReads | undefined;

async function start(request: Extract<InstanceRequest, { type: 'start' }>): Promise<string> {
  if (running !== undefined) throw new Error('the instance is started already');
  const logger = createLogger({ service: request.name, level: 'warn' });
  const config = loadConfig(productConfigSchema, request.environment);
  const metrics = createPlatformMetrics();
  const service = await createService(productService(), config, { logger, namespace: request.namespace, metrics });
  await service.start();
  const server = await service.http.listen(0, '127.0.0.1');
  running = {
    service,
    counted: () => cacheReads(metrics),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      await service.stop();
    },
  };
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function handle(request: InstanceRequest): Promise<unknown> {
  switch (request.type) {
    case 'start':
      return start(request);
    case 'window-start':
      opened = await running?.counted();
      if (request.profile !== undefined) await profiler.start(request.profile);
      window.start();
      return null;
    case 'window-end': {
      const figures = window.end();
      await profiler.stop();
      const zero = { hit: 0, miss: 0, bypass: 0, errors: 0, invalidations: 0 };
      const result: WindowFigures = { reads: since((await running?.counted()) ?? zero, opened ?? zero), process: figures };
      return result;
    }
    case 'stop':
      await running?.close();
      running = undefined;
      return null;
    default: {
      const unknown: never = request;
      throw new Error(`unknown request ${JSON.stringify(unknown)}`);
    }
  }
}

serveParent(
  (request) => InstanceRequest.parse(request),
  handle,
  async () => {
    await running?.close().catch(() => undefined);
    process.exit(0);
  },
);
