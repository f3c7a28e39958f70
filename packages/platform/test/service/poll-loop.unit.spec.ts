import { setTimeout as sleep } from 'node:timers/promises';
import { pollLoop } from '../../src/service/poll-loop.js';

/** A loop whose rounds are recorded and answer from `answers` (then `false`), polling every `pollIntervalMs`. */
function recordedLoop(answers: (boolean | Error)[], pollIntervalMs = 10_000) {
  const rounds: number[] = [];
  const failures: unknown[] = [];
  let release: (() => void) | undefined;
  let holdNext = false;
  const loop = pollLoop({
    pollIntervalMs,
    roundFailed: (error) => failures.push(error),
    async round() {
      rounds.push(rounds.length + 1);
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      const answer = answers.shift() ?? false;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  return {
    loop,
    rounds,
    failures,
    holdNextRound: () => (holdNext = true),
    releaseRound: () => release?.(),
  };
}

describe('pollLoop', () => {
  it('given rounds that say more is due, when started, then they run back to back until one says nothing is, then it sleeps', async () => {
    const { loop, rounds } = recordedLoop([true, true, false]);

    loop.start();
    await sleep(50);

    expect(rounds).toEqual([1, 2, 3]);
    await loop.halt();
  });

  it('given a sleeping loop, when woken, then a round runs at once rather than at the next poll', async () => {
    const { loop, rounds } = recordedLoop([]);
    loop.start();
    await sleep(20);

    loop.wake();
    await sleep(20);

    expect(rounds).toEqual([1, 2]);
    await loop.halt();
  });

  it('given a round in flight, when woken, then another round follows it without sleeping', async () => {
    const fixture = recordedLoop([]);
    fixture.holdNextRound();
    fixture.loop.start();
    await sleep(10);

    fixture.loop.wake();
    fixture.releaseRound();
    await sleep(20);

    expect(fixture.rounds).toEqual([1, 2]);
    await fixture.loop.halt();
  });

  it('given a round that throws, when it fails, then the failure is told and the loop polls again', async () => {
    const failure = new Error('database down');
    const { loop, rounds, failures } = recordedLoop([failure], 20);

    loop.start();
    await sleep(70);

    expect(failures).toEqual([failure]);
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    await loop.halt();
  });

  it('given a sleeping loop with a long poll, when halted, then it ends at once and runs no further round', async () => {
    const { loop, rounds } = recordedLoop([]);
    loop.start();
    await sleep(20);
    const started = performance.now();

    await loop.halt();

    expect(performance.now() - started).toBeLessThan(1_000);
    loop.wake();
    await sleep(20);
    expect(rounds).toEqual([1]);
  });

  it('given a round in flight, when halted, then the halt waits for that round and none follows', async () => {
    const fixture = recordedLoop([true]);
    fixture.holdNextRound();
    fixture.loop.start();
    await sleep(10);
    let ended = false;

    const halted = fixture.loop.halt().then(() => (ended = true));
    await sleep(20);
    expect(ended).toBe(false);
    fixture.releaseRound();
    await halted;

    expect(fixture.rounds).toEqual([1]);
  });
});
