import { once } from 'node:events';
import http from 'node:http';

/** A request as it went through the proxy to the server behind it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The form-encoded body, as Stripe's API takes it. */
  readonly form: URLSearchParams;
}

/** An HTTP proxy in front of a server that keeps every request it forwards, for specs to read what a client sent. */
export interface RecordingProxy {
  /** Its address on 127.0.0.1. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a proxy to `target` (an origin such as `http://127.0.0.1:40123`) that forwards each request whole and records it. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const { method = 'GET', url: path = '/', headers } = incoming;
      requests.push({ method, path, headers, form: new URLSearchParams(body.toString('utf8')) });
      const forwarded = http.request(new URL(path, target), { method, headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
