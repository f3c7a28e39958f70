/** The outcome of one item of a batch, in the order the items were given. */
export type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/** Settings of a {@link Batcher}. */
export interface BatcherOptions {
  /** How long the first item of a batch waits for others to join it. */
  readonly lingerMs: number;
  /** A batch is sent at once when it reaches this size. */
  readonly maxBatch: number;
}

/**
 * Gathers single requests into batches, as Kafka's producer does and as Strimzi's topic operator
 * does for admin calls: trading a few milliseconds of latency for one request where there would be
 * many. Each caller still gets its own item's result or error.
 */
export class Batcher<I, R> {
  private pending: { readonly item: I; readonly resolve: (value: R) => void; readonly reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (items: readonly I[]) => Promise<readonly Settled<R>[]>,
    private readonly options: BatcherOptions,
  ) {}

  /** Adds `item` to the next batch; resolves or rejects with that item's own outcome. */
  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => {
        this.flush();
      }, this.options.lingerMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.send(batch.map((p) => p.item)).then(
      (results) => {
        batch.forEach((p, i) => {
          const result = results[i];
          if (result?.ok) p.resolve(result.value);
          else p.reject(result ? result.error : new Error('the batch returned no result for this item'));
        });
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
  }
}
