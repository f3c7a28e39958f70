import { once } from 'node:events';
import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/**
 * A TCP proxy in front of one Kafka broker that can stop answering produce requests, so a test gets a
 * broker that never acknowledges a write without touching the shared one. Everything else (metadata,
 * fetches, offset commits, group membership) keeps flowing.
 */
export interface ProduceStallingProxy {
  /**
   * From now on, a connection that sends a Produce request forwards neither it nor anything after it:
   * the client waits for answers that never come, and its connection is neither refused nor reset.
   */
  stallProduce(): void;
  /** A kafkajs `socketFactory` that sends every broker connection through the proxy. */
  readonly socketFactory: ISocketFactory;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

// A Kafka request is a 4-byte size, then the header: the API key (Produce is 0) comes first.
const SIZE_BYTES = 4;
const PRODUCE_API_KEY = 0;

/** Starts a proxy to the broker at `broker` (`host:port`). */
export async function startProduceStallingProxy(broker: string): Promise<ProduceStallingProxy> {
  const [host = '127.0.0.1', port = '9092'] = broker.split(':');
  let stalling = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = net.createServer((client) => {
    track(client);
    const upstream = net.connect(Number(port), host);
    track(upstream);
    let pending = Buffer.alloc(0);
    let stalled = false;
    client.on('data', (bytes: Buffer) => {
      if (stalled) return;
      pending = Buffer.concat([pending, bytes]);
      while (pending.length >= SIZE_BYTES + 2) {
        const frameBytes = SIZE_BYTES + pending.readInt32BE(0);
        if (pending.length < frameBytes) break;
        if (stalling && pending.readInt16BE(SIZE_BYTES) === PRODUCE_API_KEY) {
          stalled = true;
          return;
        }
        upstream.write(pending.subarray(0, frameBytes));
        pending = pending.subarray(frameBytes);
      }
    });
    upstream.on('data', (bytes: Buffer) => client.write(bytes));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
  const proxyPort = address.port;

  return {
    stallProduce() {
      stalling = true;
    },
    // One local broker: whichever broker kafkajs asks for, it is the one behind the proxy.
    socketFactory: ({ onConnect }) => {
      const socket = net.connect({ host: '127.0.0.1', port: proxyPort }, onConnect);
      socket.setKeepAlive(true, 60_000);
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}
