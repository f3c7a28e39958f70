import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureStarted, inject, isRunning, TARGETS, type Fault, type FaultKind, type FaultRun, type Target } from './faults.js';
import { drawFault, faultMoments } from './schedule.js';

/** Prints a line stamped with the seconds since the run began. */
export type Say = (line: string) => void;

export const describe = (fault: Fault): string => `${fault.kind} ${fault.target}${fault.holdMs > 0 ? ` (held ${(fault.holdMs / 1_000).toFixed(1)} s)` : ''}`;

/** The message of the last error the log of `target` holds, which a start empties: why it exited. */
function lastWords(stateDir: string, target: Target): string {
  try {
    const lines = readFileSync(join(stateDir, 'logs', `${target}.log`), 'utf8').trimEnd().split('\n');
    const last = lines.toReversed().find((line) => /"level":"(?:fatal|error)"/.test(line));
    if (last === undefined) return '';
    const { msg, err } = JSON.parse(last) as { msg?: string; err?: { message?: string } };
    return ` (its log's last error: ${[msg, err?.message].filter((part) => part !== undefined).join(': ').slice(0, 200)})`;
  } catch {
    return '';
  }
}

/**
 * Restarts, every two seconds, any server or service no fault is working on that is not running
 * (one that exited on its own while PostgreSQL or Kafka was away), as a supervisor would; each
 * restart is printed and counted, and the target counts as busy meanwhile.
 */
export function supervise(stateDir: string, busy: Set<Target>, say: Say): { stop(): Promise<void>; restarts(): number } {
  let restarts = 0;
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      for (const target of TARGETS) {
        if (busy.has(target) || isRunning(stateDir, target)) continue;
        say(`supervisor: ${target} was not running${lastWords(stateDir, target)}; starting it`);
        restarts += 1;
        busy.add(target);
        await ensureStarted(target)
          .catch((error: unknown) => {
            say(`supervisor: ${target}: ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => busy.delete(target));
      }
      await sleep(2_000, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
    restarts: () => restarts,
  };
}

/**
 * The storm: `count` faults at random moments over `seconds`, at most `concurrency` in progress at
 * once, never two on the same server or service. A fault due while the limit is reached waits for
 * the next one to end. Each fault is printed when it begins and when its target is back.
 */
export async function storm(
  { random, count, seconds, concurrency, freezeMs, busy, say }: {
    readonly random: () => number;
    readonly count: number;
    readonly seconds: number;
    readonly concurrency: number;
    readonly freezeMs: number;
    readonly busy: Set<Target>;
    readonly say: Say;
  },
): Promise<FaultRun[]> {
  const runs: FaultRun[] = [];
  const drawn = new Set<FaultKind>();
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  let number = 0;
  for (const moment of faultMoments(random, count, seconds)) {
    await sleep(Math.max(0, start + moment - performance.now()));
    let fault: Fault | undefined;
    while ((fault = inFlight.size < concurrency ? drawFault(random, busy, drawn, freezeMs) : undefined) === undefined) await Promise.race(inFlight);
    number += 1;
    const id = number;
    const chosen = fault;
    drawn.add(chosen.kind);
    busy.add(chosen.target);
    say(`fault #${id} ${describe(chosen)}`);
    const running = inject(chosen)
      .then((faultRun) => {
        runs.push(faultRun);
        say(`fault #${id} ${chosen.kind} ${chosen.target}: back after ${((faultRun.backAt - faultRun.startedAt) / 1_000).toFixed(1)} s`);
      })
      .catch((error: unknown) => {
        say(`fault #${id} ${chosen.kind} ${chosen.target}: repair FAILED: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        busy.delete(chosen.target);
        inFlight.delete(running);
      });
    inFlight.add(running);
  }
  await Promise.all(inFlight);
  return runs;
}
