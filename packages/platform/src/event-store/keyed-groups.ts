/**
 * Work per key, one group at a time: an item whose key is idle runs at once, alone; items arriving
 * while their key is busy wait and then run together, as one group, in arrival order. The command
 * handler uses it so that concurrent commands on one aggregate share a read and a commit instead of
 * racing each other into conflicts.
 */
export class KeyedGroups<T> {
  /** Items waiting per busy key; a key with no entry has nothing running. */
  readonly #waiting = new Map<string, T[]>();

  /**
   * @param run Handles one group; it settles each item itself and must not reject.
   * @param maxGroup Most items in one group.
   */
  constructor(
    private readonly run: (key: string, group: readonly T[]) => Promise<void>,
    private readonly maxGroup: number,
  ) {}

  submit(key: string, item: T): void {
    const waiting = this.#waiting.get(key);
    if (waiting !== undefined) {
      waiting.push(item);
      return;
    }
    this.#waiting.set(key, []);
    this.#drive(key, [item]);
  }

  #drive(key: string, group: readonly T[]): void {
    void this.run(key, group).finally(() => {
      const waiting = this.#waiting.get(key) ?? [];
      if (waiting.length === 0) {
        this.#waiting.delete(key);
        return;
      }
      this.#drive(key, waiting.splice(0, this.maxGroup));
    });
  }
}
