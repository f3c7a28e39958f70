import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@msa/contracts';
import { createLogger } from '../../src/index.js';
import { runAfterProjected } from '../../src/service/after-projected.js';
import { captureLines } from '../telemetry/capture.js';

function userCreated(): EventOf<'UserCreated'> {
  const userId = randomUUID();
  return createEvent({
    eventType: 'UserCreated',
    eventId: randomUUID(),
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: 'hook',
    causationId: 'hook',
    payload: { userId, email: 'kim@example.com', name: 'Kim Minji', role: 'customer' },
  });
}

describe('after-projection hook', () => {
  it('given a hook that fails, when run, then it resolves and logs the event it failed for', async () => {
    const { destination, lines } = captureLines();
    const event = userCreated();

    await runAfterProjected(() => Promise.reject(new Error('redis said no')), event, createLogger({ service: 'hook', destination }));

    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', eventId: event.eventId, msg: expect.stringContaining('failed') as unknown }));
  });

  it('given a hook that never finishes, when run, then it resolves at its timeout with the hook’s signal aborted', async () => {
    const { destination, lines } = captureLines();
    let signalled: AbortSignal | undefined;
    const started = Date.now();

    await runAfterProjected(
      (_event, { signal }) => {
        signalled = signal;
        return new Promise<void>(() => undefined);
      },
      userCreated(),
      createLogger({ service: 'hook', destination }),
      50,
    );

    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(signalled?.aborted).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: expect.stringContaining('within 50ms') as unknown }));
  });

  it('given a hook that succeeds, when run, then it is given the event and nothing is logged', async () => {
    const { destination, lines } = captureLines();
    const event = userCreated();
    const seen: string[] = [];

    await runAfterProjected((given) => Promise.resolve(void seen.push(given.eventId)), event, createLogger({ service: 'hook', destination }));

    expect(seen).toEqual([event.eventId]);
    expect(lines).toEqual([]);
  });
});
