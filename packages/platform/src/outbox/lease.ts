/**
 * How long the leader may still act on its leadership without hearing from PostgreSQL.
 *
 * The leader's session ends once it sent nothing for `idle_session_timeout`, and its lock with it. A
 * statement sent at time t and answered shows the session was alive after t, so it holds the lock at
 * least until t + that timeout, however long the answer took to arrive. The lease runs `validForMs`
 * (shorter than the timeout, for timer slack) from the latest such t. A process that was frozen, or
 * cut off from the database, finds its lease expired before another relay can have taken the lock.
 */
export class Lease {
  readonly #validForMs: number;
  readonly #now: () => number;
  #confirmedSentAt: number;

  /** Starts as if confirmed at `sentAt` (before the session's first statement went out). */
  constructor(validForMs: number, sentAt: number, now: () => number) {
    this.#validForMs = validForMs;
    this.#now = now;
    this.#confirmedSentAt = sentAt;
  }

  /** A statement sent at `sentAt` was answered; answers may arrive out of order. */
  confirm(sentAt: number): void {
    this.#confirmedSentAt = Math.max(this.#confirmedSentAt, sentAt);
  }

  /** Whether the session still holds its lock for certain. */
  get holds(): boolean {
    return this.#now() - this.#confirmedSentAt < this.#validForMs;
  }

  /** Milliseconds since the latest confirmed statement was sent. */
  get silentForMs(): number {
    return this.#now() - this.#confirmedSentAt;
  }
}
