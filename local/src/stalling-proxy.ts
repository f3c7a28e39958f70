import { once } from 'node:events';
import net from 'node:net';

/** A TCP proxy a test starts in front of a server, to make that server stall without touching it. */
export interface StallingProxy {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /**
   * From now on the proxy keeps accepting connections and bytes but forwards nothing, either way:
   * to its clients the server has stopped answering, and no connection is refused or reset.
   */
  freeze(): void;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a proxy to `host:port`. Shared servers must never be stopped or paused by a test, so a test
 * that needs a stalled peer points its client at one of these and freezes it.
 */
export async function startStallingProxy(host: string, port: number): Promise<StallingProxy> {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A peer going away is the end of that pair, not a failure of the test.
    socket.on('error', () => socket.destroy());
  };

  const server = net.createServer((client) => {
    track(client);
    if (frozen) {
      // Read and drop, so the client's writes complete as they would towards a hung server.
      client.resume();
      return;
    }
    const upstream = net.connect(port, host);
    track(upstream);
    client.on('data', (bytes) => {
      if (!frozen) upstream.write(bytes);
    });
    upstream.on('data', (bytes) => {
      if (!frozen) client.write(bytes);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

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
