/**
 * One process's view of the streams it appends to: appends to one stream run one at a time, and the
 * last version known to be committed is remembered, so an append that is bound to conflict fails
 * here instead of in the database. Many writers on one hot stream then cost one commit per version
 * rather than a round trip (and a blocked insert) per loser. Versions only grow, so a remembered
 * version is never too high; the database stays the judge of every append sent.
 */
export class StreamLanes {
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #versions = new Map<string, number>();

  /** @param capacity How many streams' versions to remember; the least recently used go first. */
  constructor(private readonly capacity: number) {}

  /** The highest version this process has seen committed for `streamId`, if it remembers one. */
  knownVersion(streamId: string): number | undefined {
    return this.#versions.get(streamId);
  }

  /** Records that `streamId` has reached at least `version`. */
  remember(streamId: string, version: number): void {
    const known = this.#versions.get(streamId);
    this.#versions.delete(streamId);
    this.#versions.set(streamId, Math.max(version, known ?? 0));
    if (this.#versions.size > this.capacity) {
      const oldest = this.#versions.keys().next();
      if (oldest.done !== true) this.#versions.delete(oldest.value);
    }
  }

  /** Runs `work` after every earlier `run` for the same stream has settled. */
  run<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(streamId);
    const result = previous === undefined ? work() : previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.#tails.set(streamId, tail);
    void tail.then(() => {
      if (this.#tails.get(streamId) === tail) this.#tails.delete(streamId);
    });
    return result;
  }
}
