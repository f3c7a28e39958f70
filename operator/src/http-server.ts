import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** What the probe and metrics endpoints report on. */
export interface HttpServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly registry: Registry;
  /** Ready once the KafkaTopic cache has loaded; a standby replica is ready too. */
  readonly isReady: () => boolean;
}

/**
 * Serves `/healthz` (the process answers), `/readyz` (the cache is loaded) and `/metrics`
 * (Prometheus text). Anything else is an RFC 9457 problem. Resolves once listening.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://operator').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      problem(res, 405, 'Method Not Allowed', `${req.method ?? ''} is not served; use GET`);
      return;
    }
    switch (path) {
      case '/healthz':
        text(res, 200, 'ok\n', 'text/plain');
        return;
      case '/readyz':
        if (options.isReady()) text(res, 200, 'ok\n', 'text/plain');
        else problem(res, 503, 'Not Ready', 'the KafkaTopic cache has not loaded yet');
        return;
      case '/metrics':
        options.registry.metrics().then(
          (body) => {
            text(res, 200, body, options.registry.contentType);
          },
          (error: unknown) => {
            problem(res, 500, 'Internal Server Error', error instanceof Error ? error.message : String(error));
          },
        );
        return;
      default:
        problem(res, 404, 'Not Found', `no resource at ${path}; try /healthz, /readyz or /metrics`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function text(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType }).end(body);
}

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  text(res, status, body, 'application/problem+json');
}
