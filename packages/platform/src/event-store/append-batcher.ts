/** One stream's append, serialized for `append_events`. */
export interface PendingAppend {
  readonly streamId: string;
  readonly expectedVersion: number;
  /** The events as `appendRequest` serialized them. */
  readonly request: string;
}

/** How appends reach the database: one alone, or several in one transaction. */
export interface AppendExecutor {
  /** Appends one; resolves to the stream's version before it (the expected one when it appended). */
  readonly appendOne: (append: PendingAppend) => Promise<number>;
  /**
   * Appends several in one transaction; resolves to each one's version before it, in order. Rejects
   * when the transaction failed as a whole, having written nothing.
   */
  readonly appendMany: (appends: readonly PendingAppend[]) => Promise<readonly number[]>;
  /** Whether a failed `appendMany` left the appends to be tried alone (a database error, not a lost connection). */
  readonly isRetriableAlone: (error: unknown) => boolean;
}

/** Limits of `AppendBatcher`. */
export interface AppendBatchLimits {
  /** Most appends in one transaction. @default 256 */
  readonly maxAppends?: number;
  /** Most serialized event bytes in one transaction; a larger single append still goes alone. @default 1 MiB */
  readonly maxBytes?: number;
  /** Transactions in flight at once. @default 2 */
  readonly maxInFlight?: number;
}

interface Queued {
  readonly append: PendingAppend;
  readonly resolve: (versionBefore: number) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit on the client side. An append that finds a transaction slot free is sent at once,
 * alone; appends that arrive while every slot is busy wait and leave together, in one transaction,
 * when a slot frees. Under load one commit (one WAL flush, one round trip) then carries many
 * appends, while a lone append pays no waiting. Appends of one stream never share a transaction:
 * the stream lanes let a stream's next append start only after its previous one committed.
 *
 * A shared transaction fails as a whole on anything raised inside it (an append that raced another
 * process, a duplicate event id); its appends are then tried alone, so each gets its own outcome and
 * no append fails because of another.
 */
export class AppendBatcher {
  readonly #executor: AppendExecutor;
  readonly #maxAppends: number;
  readonly #maxBytes: number;
  readonly #maxInFlight: number;
  #queue: Queued[] = [];
  #inFlight = 0;

  constructor(executor: AppendExecutor, { maxAppends = 256, maxBytes = 1 << 20, maxInFlight = 2 }: AppendBatchLimits = {}) {
    for (const [name, value] of Object.entries({ maxAppends, maxBytes, maxInFlight })) {
      if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number >= 1, got ${value}`);
    }
    this.#executor = executor;
    this.#maxAppends = maxAppends;
    this.#maxBytes = maxBytes;
    this.#maxInFlight = maxInFlight;
  }

  /** Appends, alone or with others; resolves to the stream's version before the append. */
  submit(append: PendingAppend): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ append, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#takeBatch();
      this.#inFlight += 1;
      void this.#send(batch).finally(() => {
        this.#inFlight -= 1;
        this.#dispatch();
      });
    }
  }

  /** The longest prefix of the queue within the limits; at least one append. */
  #takeBatch(): Queued[] {
    let bytes = 0;
    let count = 0;
    for (const queued of this.#queue) {
      bytes += queued.append.request.length;
      if (count > 0 && (count >= this.#maxAppends || bytes > this.#maxBytes)) break;
      count += 1;
    }
    const batch = this.#queue.slice(0, count);
    this.#queue = this.#queue.slice(count);
    return batch;
  }

  async #send(batch: readonly Queued[]): Promise<void> {
    const [only] = batch;
    if (only !== undefined && batch.length === 1) {
      await this.#sendAlone(only);
      return;
    }
    let versions: readonly number[];
    try {
      versions = await this.#executor.appendMany(batch.map((queued) => queued.append));
    } catch (error) {
      if (!this.#executor.isRetriableAlone(error)) {
        for (const queued of batch) queued.reject(error);
        return;
      }
      await Promise.all(batch.map((queued) => this.#sendAlone(queued)));
      return;
    }
    batch.forEach((queued, index) => {
      const version = versions[index];
      if (version === undefined) queued.reject(new Error(`the batch returned ${versions.length} versions for ${batch.length} appends`));
      else queued.resolve(version);
    });
  }

  async #sendAlone(queued: Queued): Promise<void> {
    try {
      queued.resolve(await this.#executor.appendOne(queued.append));
    } catch (error) {
      queued.reject(error);
    }
  }
}
