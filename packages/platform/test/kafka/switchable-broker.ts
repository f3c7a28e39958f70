import net from 'node:net';
import { startSwitchableProxy, type SwitchableProxy } from '@msa/local';
import type { ISocketFactory } from 'kafkajs';

/** A switchable proxy in front of the one local broker: cut, its clients see that broker killed; restored, restarted. */
export interface SwitchableBroker extends SwitchableProxy {
  /** A kafkajs `socketFactory` that sends every broker connection through the proxy. */
  readonly socketFactory: ISocketFactory;
}

/** Starts a proxy to the broker at `broker` (`host:port`). */
export async function startSwitchableBroker(broker: string): Promise<SwitchableBroker> {
  const [host = '127.0.0.1', port = '9092'] = broker.split(':');
  const proxy = await startSwitchableProxy(host, Number(port));
  return {
    ...proxy,
    // One local broker: whichever broker kafkajs asks for, it is the one behind the proxy.
    socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect),
  };
}
