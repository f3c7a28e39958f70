import { LRUCache } from 'lru-cache';

/** A queued append: how to start it, and how to tell it is already bound to fail. */
interface Waiting {
  readonly refusal: () => Error | undefined;
  readonly start: () => void;
  readonly refuse: (error: Error) => void;
}

/**
 * One process's view of the streams it appends to: appends to one stream run one at a time, and the
 * last version known to be committed is remembered, so an append that is bound to conflict fails
 * here instead of in the database. Many writers on one hot stream then cost one commit per version
 * rather than a round trip (and a blocked insert) per loser. Versions only grow, so a remembered
 * version is never too high; the database stays the judge of every append sent.
 */
export class StreamLanes {
  /** Appends waiting per busy stream; a stream with no entry has nothing running. */
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #versions: LRUCache<string, number>;

  /** @param capacity How many streams' versions to remember; the least recently used go first. */
  constructor(capacity: number) {
    this.#versions = new LRUCache({ max: capacity });
  }

  /** The highest version this process has seen committed for `streamId`, if it remembers one. */
  knownVersion(streamId: string): number | undefined {
    return this.#versions.get(streamId);
  }

  /** Records that `streamId` has reached at least `version`. */
  remember(streamId: string, version: number): void {
    this.#versions.set(streamId, Math.max(version, this.#versions.get(streamId) ?? 0));
  }

  /**
   * Runs `work` once nothing else runs on `streamId`. Whenever its turn comes, `refusal` is asked
   * first: an error it returns rejects the call without running `work` or holding up the stream,
   * so when a version commits, every waiter it made stale fails at once and the next can start.
   */
  run<T>(streamId: string, refusal: () => Error | undefined, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        // The executor turns a synchronous throw from `work` into a rejection that frees the stream.
        new Promise<T>((settle) => {
          settle(work());
        })
          .then(resolve, reject)
          .finally(() => {
            this.#startNext(streamId);
          });
      };
      const waiting = this.#waiting.get(streamId);
      if (waiting !== undefined) {
        waiting.push({ refusal, start, refuse: reject });
        return;
      }
      const refused = refusal();
      if (refused !== undefined) {
        reject(refused);
        return;
      }
      this.#waiting.set(streamId, []);
      start();
    });
  }

  #startNext(streamId: string): void {
    const waiting = this.#waiting.get(streamId) ?? [];
    for (let next = waiting.shift(); next !== undefined; next = waiting.shift()) {
      const refused = next.refusal();
      if (refused === undefined) {
        next.start();
        return;
      }
      next.refuse(refused);
    }
    this.#waiting.delete(streamId);
  }
}
