import { once } from 'node:events';
import net from 'node:net';

/** A TCP forwarder a spec puts in front of a shared server, to take that server away and bring it back without touching it. */
export interface TcpForwarder {
  /** The port it listens on, on 127.0.0.1, the same across `down` and `up`. */
  readonly port: number;
  /** Stops listening and ends every connection: clients are refused, as by a server that is down. */
  down(): Promise<void>;
  /** Listens again and forwards new connections. */
  up(): Promise<void>;
}

/** Starts forwarding 127.0.0.1:<port> to `host:targetPort`. */
export async function startTcpForwarder(host: string, targetPort: number): Promise<TcpForwarder> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  let server: net.Server | undefined;
  let port = 0;

  async function up(): Promise<void> {
    const listening = net.createServer((client) => {
      const upstream = net.connect(targetPort, host);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
    });
    listening.listen(port, '127.0.0.1');
    await once(listening, 'listening');
    port = (listening.address() as net.AddressInfo).port;
    server = listening;
  }

  await up();
  return {
    get port() {
      return port;
    },
    up,
    async down() {
      const stopping = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (stopping !== undefined) {
        await new Promise<void>((resolve) => {
          stopping.close(() => {
            resolve();
          });
        });
      }
    },
  };
}
