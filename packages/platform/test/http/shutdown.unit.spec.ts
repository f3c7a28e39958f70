import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGracefulShutdown, createLogger, route } from '../../src/index.js';
import { captureLines } from '../telemetry/capture.js';
import { testApp } from './fixture.js';

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      res.resume().on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('createGracefulShutdown', () => {
  it('given a request in flight, when shutting down, then it completes, new connections are refused, then closers run last-first', async () => {
    const { http } = testApp();
    let releaseSlow = (): void => undefined;
    let slowStarted = (): void => undefined;
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    http.register(
      route({ method: 'get', path: '/slow', responses: { 204: { description: 'Done' } } }, async ({ reply }) => {
        slowStarted();
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        return reply(204);
      }),
    );
    const server = await http.listen(0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    const { destination } = captureLines();
    const lifecycle = createGracefulShutdown({ logger: createLogger({ service: 'user', destination }), server });
    const closed: string[] = [];
    lifecycle.onShutdown('postgres', () => closed.push('postgres'));
    lifecycle.onShutdown('consumer', () => Promise.resolve(closed.push('consumer')));

    const inFlight = get(port, '/slow');
    await started;
    const done = lifecycle.shutdown('test');
    const refused = get(port, '/health/live').then(
      () => 'accepted',
      () => 'refused',
    );
    expect(closed).toEqual([]);
    const released = Date.now();
    releaseSlow();

    expect(await inFlight).toBe(204);
    expect(await refused).toBe('refused');
    expect(await done).toBe(true);
    // Well inside the 5 s keep-alive timeout that would hold an idle connection open otherwise.
    expect(Date.now() - released).toBeLessThan(2_000);
    expect(closed).toEqual(['consumer', 'postgres']);
  });

  it('given a closer that fails, when shutting down, then the others still run and the result says so', async () => {
    const { destination, lines } = captureLines();
    const lifecycle = createGracefulShutdown({ logger: createLogger({ service: 'user', destination }) });
    const closed: string[] = [];
    lifecycle.onShutdown('pool', () => closed.push('pool'));
    lifecycle.onShutdown('relay', () => Promise.reject(new Error('stuck')));

    const clean = await lifecycle.shutdown('test');

    expect(clean).toBe(false);
    expect(closed).toEqual(['pool']);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', closer: 'relay', msg: 'failed to close' }));
  });

  it('given shutdown already running, when asked again, then the same run is shared', async () => {
    const { destination } = captureLines();
    const lifecycle = createGracefulShutdown({ logger: createLogger({ service: 'user', destination }) });
    let runs = 0;
    lifecycle.onShutdown('once', () => (runs += 1));

    await Promise.all([lifecycle.shutdown('SIGTERM'), lifecycle.shutdown('SIGINT')]);

    expect(runs).toBe(1);
  });
});
