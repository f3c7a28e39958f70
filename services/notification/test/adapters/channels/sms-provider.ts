import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsProviderRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly form: URLSearchParams;
}

/** The SMS provider a spec talks to. */
export interface TestSmsProvider {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly received: readonly SmsProviderRequest[];
  /** Answers later requests with `reply` (201 with a sid until told otherwise). */
  answer(reply: SmsProviderReply): void;
  close(): Promise<void>;
}

/** How the provider answers one request; `hang` never answers. */
export type SmsProviderReply = { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> } | 'hang';

/** A real HTTP server playing a Twilio-shaped SMS provider: it records each request and answers with the reply it is given. */
export async function startSmsProvider(): Promise<TestSmsProvider> {
  const received: SmsProviderRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let reply: SmsProviderReply = { status: 201, body: { sid: 'SM00000000000000000000000000000001', status: 'queued' } };
  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, headers: request.headers, form: new URLSearchParams(raw) });
      if (reply === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer(next) {
      reply = next;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
