import { once } from 'node:events';
import net from 'node:net';

/** A TCP proxy a test starts in front of a server, to make that server stall without touching it. */
export interface StallingProxy {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /**
   * From now on the proxy holds what its options say (by default everything): it keeps accepting
   * connections and bytes, forwards nothing it holds, and refuses or resets no connection, so to its
   * clients the server has stopped answering.
   */
  freeze(): void;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

/** Which of a client's requests a frozen proxy holds, for a proxy that holds only some. */
export interface HeldRequests {
  /** How many bytes (more than none) the request at the start of `bytes` takes, or `undefined` while that is not known. */
  readonly length: (bytes: Buffer) => number | undefined;
  /** Whether a frozen proxy holds `request`, one whole request. */
  readonly held: (request: Buffer) => boolean;
}

export interface StallingProxyOptions {
  /**
   * Hold only these requests. A connection that sends one while the proxy is frozen forwards neither
   * it nor anything after it, while answers to what it sent before still arrive; other connections,
   * and new ones, keep flowing.
   * @default every byte, both ways, on every connection, and a new connection reaches no server
   */
  readonly holds?: HeldRequests;
}

/**
 * Starts a proxy to `host:port`. Shared servers must never be stopped or paused by a test, so a test
 * that needs a stalled peer points its client at one of these and freezes it.
 */
export async function startStallingProxy(
  host: string,
  port: number,
  options: StallingProxyOptions = {},
): Promise<StallingProxy> {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A peer going away is the end of that pair, not a failure of the test.
    socket.on('error', () => socket.destroy());
  };
  const { holds } = options;

  const server = net.createServer((client) => {
    track(client);
    if (frozen && holds === undefined) {
      // Read and drop, so the client's writes complete as they would towards a hung server.
      client.resume();
      return;
    }
    const upstream = net.connect(port, host);
    track(upstream);
    if (holds === undefined) {
      client.on('data', (bytes: Buffer) => {
        if (!frozen) upstream.write(bytes);
      });
      upstream.on('data', (bytes: Buffer) => {
        if (!frozen) client.write(bytes);
      });
    } else {
      client.on('data', forwardUnheld(holds, upstream));
      upstream.on('data', (bytes: Buffer) => client.write(bytes));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

  /** Forwards one connection's whole requests until, frozen, it meets one it holds. */
  function forwardUnheld({ length, held }: HeldRequests, upstream: net.Socket): (bytes: Buffer) => void {
    let pending = Buffer.alloc(0);
    let holding = false;
    return (bytes) => {
      if (holding) return;
      pending = Buffer.concat([pending, bytes]);
      for (let size = length(pending); size !== undefined && pending.length >= size; size = length(pending)) {
        const request = pending.subarray(0, size);
        if (frozen && held(request)) {
          holding = true;
          return;
        }
        upstream.write(request);
        pending = pending.subarray(size);
      }
    };
  }

  return {
    port: address.port,
    freeze() {
      frozen = true;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
