import type { Server } from 'node:http';
import type { Logger } from 'pino';

/** Options for `createGracefulShutdown`. */
export interface GracefulShutdownOptions {
  readonly logger: Logger;
  /** The HTTP server to drain first; closers run once it has. */
  readonly server?: Server;
  /** How long in-flight requests may take before their connections are cut. @default 10000 */
  readonly drainTimeoutMs?: number;
}

/** The program's shutdown sequence. */
export interface GracefulShutdown {
  /**
   * Registers something to close after the server has drained. Closers run one at a time in reverse
   * order of registration, so what was opened last (a consumer) closes before what it uses (a pool).
   */
  onShutdown(name: string, close: () => unknown): void;
  /** Runs the sequence once (later calls share it); resolves `true` when every closer succeeded. */
  shutdown(reason: string): Promise<boolean>;
  /** Runs the sequence on the first SIGTERM or SIGINT, then exits 0 (or 1 if a closer failed). */
  exitOnSignals(signals?: readonly NodeJS.Signals[]): void;
}

/**
 * Stops accepting connections, lets in-flight requests finish (cutting them after `drainTimeoutMs`),
 * then runs the registered closers. A closer that fails is logged and the rest still run.
 */
export function createGracefulShutdown({
  logger,
  server,
  drainTimeoutMs = 10_000,
}: GracefulShutdownOptions): GracefulShutdown {
  const log = logger.child({ component: 'shutdown' });
  const closers: { name: string; close: () => unknown }[] = [];
  let running: Promise<boolean> | undefined;

  async function run(reason: string): Promise<boolean> {
    log.info({ reason }, 'shutting down');
    if (server !== undefined) await drain(server, drainTimeoutMs, log);
    let clean = true;
    for (const { name, close } of [...closers].reverse()) {
      try {
        await close();
        log.info({ closer: name }, 'closed');
      } catch (error) {
        clean = false;
        log.error({ err: error, closer: name }, 'failed to close');
      }
    }
    log.info({ clean }, 'shutdown complete');
    return clean;
  }

  const shutdown: GracefulShutdown = {
    onShutdown(name, close) {
      closers.push({ name, close });
    },
    shutdown(reason) {
      running ??= run(reason);
      return running;
    },
    exitOnSignals(signals = ['SIGTERM', 'SIGINT']) {
      for (const signal of signals) {
        process.once(signal, () => {
          void shutdown.shutdown(signal).then((clean) => process.exit(clean ? 0 : 1));
        });
      }
    },
  };
  return shutdown;
}

/** How often connections that went idle after their last response are closed while draining. */
const IDLE_SWEEP_MS = 50;

async function drain(server: Server, timeoutMs: number, log: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  // close() only closes connections idle at that moment; a keep-alive connection whose request
  // finishes later would otherwise hold the server open until its keep-alive timeout.
  const sweep = setInterval(() => {
    server.closeIdleConnections();
  }, IDLE_SWEEP_MS);
  const deadline = setTimeout(() => {
    log.warn({ timeoutMs }, 'in-flight requests did not finish in time; closing their connections');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
  log.info('http server drained');
}
