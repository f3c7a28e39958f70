import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { API_VERSION, createMessage, twilioError, type TwilioError } from './messages.js';
import type { MessageStore } from './store.js';

/** The header Twilio reads an idempotency token from: a repeated token gets the first response. */
const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';

/** A create-message form is a few hundred bytes; anything past this is refused unread. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface SmsSinkOptions {
  /** The account sid (`AC` + 32 hex) the sink answers for, also the Basic auth user name. */
  readonly accountSid: string;
  /** The Basic auth password. */
  readonly authToken: string;
  readonly store: MessageStore;
  /** Called once for each message the sink records. */
  readonly onMessage?: (message: { sid: string; to: string }) => void;
}

/**
 * An HTTP server shaped like Twilio's Messages API for the account it is given, plus a read API
 * for specs and people: `GET /messages[?to=]` lists what was received, oldest first, and
 * `DELETE /messages[?to=]` forgets it. `GET /health` answers once it serves.
 */
export function createSmsSinkServer(options: SmsSinkOptions): Server {
  const messagesPath = `/${API_VERSION}/Accounts/${options.accountSid}/Messages.json`;

  async function create(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (!authorized(request.headers.authorization, options.accountSid, options.authToken)) {
      response.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      send(response, 401, twilioError(401, 20003, 'Authenticate'));
      return;
    }
    if (path !== messagesPath) {
      send(response, 404, twilioError(404, 20404, `The requested resource ${path} was not found`));
      return;
    }
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      send(response, 415, sinkError(415, 'Send the message as application/x-www-form-urlencoded (To, From, Body)'));
      return;
    }
    const body = await readBody(request, response);
    if (body === undefined) return;

    const token = headerValue(request.headers[IDEMPOTENCY_HEADER]);
    const first = token === undefined ? undefined : options.store.byIdempotencyToken(token);
    if (first) {
      send(response, 201, first);
      return;
    }
    const outcome = createMessage(new URLSearchParams(body), {
      accountSid: options.accountSid,
      sid: `SM${randomBytes(16).toString('hex')}`,
      now: new Date(),
    });
    if (outcome.kind === 'refused') {
      send(response, outcome.error.status, outcome.error);
      return;
    }
    await options.store.add(outcome.message, token ?? null);
    options.onMessage?.(outcome.message);
    send(response, 201, outcome.message);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sms-sink');
    const to = url.searchParams.get('to') ?? undefined;
    if (url.pathname === '/messages') {
      if (request.method === 'GET') send(response, 200, { messages: options.store.list(to) });
      else if (request.method === 'DELETE') send(response, 200, { deleted: await options.store.delete(to) });
      else notAllowed(response, 'GET, DELETE');
    } else if (url.pathname === '/health') {
      if (request.method === 'GET') send(response, 200, { status: 'ok' });
      else notAllowed(response, 'GET');
    } else if (url.pathname.startsWith(`/${API_VERSION}/`)) {
      if (request.method === 'POST') await create(request, response, url.pathname);
      else notAllowed(response, 'POST');
    } else {
      send(response, 404, twilioError(404, 20404, `The requested resource ${url.pathname} was not found`));
    }
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        send(response, 500, sinkError(500, `the sink failed: ${error instanceof Error ? error.message : String(error)}`));
      } else {
        response.destroy();
      }
    });
  });
  // A client that stalls mid-request is cut off instead of holding a socket forever.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  return server;
}

/** The request's body as text, or undefined once it has answered 413 for a body over the limit. */
async function readBody(request: IncomingMessage, response: ServerResponse): Promise<string | undefined> {
  const refuse = (): void => {
    // The connection closes after the answer: the rest of the body is not read.
    response.setHeader('connection', 'close');
    send(response, 413, sinkError(413, `the request body is over ${MAX_REQUEST_BYTES} bytes`));
  };
  if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
    refuse();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      refuse();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function authorized(header: string | undefined, user: string, password: string): boolean {
  const [scheme, encoded] = header?.split(' ') ?? [];
  if (scheme?.toLowerCase() !== 'basic' || encoded === undefined) return false;
  const given = Buffer.from(Buffer.from(encoded, 'base64').toString('utf8'));
  const expected = Buffer.from(`${user}:${password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

// The sink's own refusals, outside Twilio's vocabulary, keep its error shape with the HTTP status
// as the code.
function sinkError(status: number, message: string): TwilioError {
  return { code: status, message, more_info: `https://www.rfc-editor.org/rfc/rfc9110#status.${status}`, status };
}

function notAllowed(response: ServerResponse, allow: string): void {
  response.setHeader('allow', allow);
  send(response, 405, twilioError(405, 20004, 'Method not allowed'));
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
