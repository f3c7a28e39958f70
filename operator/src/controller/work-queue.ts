/** Settings of a {@link WorkQueue}. */
export interface WorkQueueOptions {
  /** Delay before the first retry of a failing key; doubles on each further failure. */
  readonly retryBaseMs: number;
  /** Longest delay between retries. */
  readonly retryMaxMs: number;
}

/**
 * A queue of keys in the manner of client-go's workqueue: a key waits at most once however often it
 * is added, a key being processed is never handed to a second worker (an add during processing
 * queues it again once `done` is called), and failing keys come back after an exponential backoff.
 * Keys, not objects, are queued, so a worker always reads the latest state when it gets to one.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { readonly at: number; readonly timer: NodeJS.Timeout }>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private shutDown = false;

  constructor(private readonly options: WorkQueueOptions) {}

  /** Keys waiting to be processed (not those being processed or waiting for a retry delay). */
  get depth(): number {
    return this.queue.length;
  }

  /** Queues `key` unless it is already waiting; marks it for another pass if it is being processed. */
  add(key: string): void {
    if (this.shutDown || this.queued.has(key)) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.queued.add(key);
    this.queue.push(key);
  }

  /** Queues `key` after `delayMs`, keeping only the earliest of several pending delays. */
  addAfter(key: string, delayMs: number): void {
    if (this.shutDown) return;
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Queues `key` again after its backoff delay, which doubles with each consecutive failure. */
  retry(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const delay = Math.min(this.options.retryBaseMs * 2 ** failures, this.options.retryMaxMs);
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears the failure count of `key` after a success, so its next failure starts the backoff anew. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Waits for the next key; `undefined` once the queue is shut down. The caller must call {@link done}. */
  next(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.queued.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shutDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` processed; queues it again if it was added meanwhile. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key);
  }

  /** Stops handing out keys: waiting workers get `undefined`, pending retries are dropped. */
  shutdown(): void {
    this.shutDown = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
}
