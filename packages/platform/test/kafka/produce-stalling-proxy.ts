import net from 'node:net';
import { startStallingProxy, type HeldRequests, type StallingProxy } from '@msa/local';
import type { ISocketFactory } from 'kafkajs';

/**
 * A stalling proxy in front of one Kafka broker that, frozen, holds produce requests only, so a test
 * gets a broker that never acknowledges a write without touching the shared one. Everything else
 * (metadata, fetches, offset commits, group membership) keeps flowing.
 */
export interface ProduceStallingProxy extends StallingProxy {
  /** A kafkajs `socketFactory` that sends every broker connection through the proxy. */
  readonly socketFactory: ISocketFactory;
}

// A Kafka request is a 4-byte size, then the header: the API key (Produce is 0) comes first.
const SIZE_BYTES = 4;
const PRODUCE_API_KEY = 0;
const produceRequests: HeldRequests = {
  length: (bytes) => (bytes.length < SIZE_BYTES ? undefined : SIZE_BYTES + bytes.readInt32BE(0)),
  held: (request) => request.length >= SIZE_BYTES + 2 && request.readInt16BE(SIZE_BYTES) === PRODUCE_API_KEY,
};

/** Starts a proxy to the broker at `broker` (`host:port`). */
export async function startProduceStallingProxy(broker: string): Promise<ProduceStallingProxy> {
  const [host = '127.0.0.1', port = '9092'] = broker.split(':');
  const proxy = await startStallingProxy(host, Number(port), { holds: produceRequests });
  return {
    ...proxy,
    // One local broker: whichever broker kafkajs asks for, it is the one behind the proxy.
    socketFactory: ({ onConnect }) => {
      const socket = net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect);
      socket.setKeepAlive(true, 60_000);
      return socket;
    },
  };
}
