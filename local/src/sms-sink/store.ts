import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { smsMessageSchema, type SmsMessage } from './messages.js';

/** One line of the store's file: a message and the idempotency token it was created with. */
const storedLine = z.object({ message: smsMessageSchema, idempotencyToken: z.string().nullable() });
type StoredLine = z.infer<typeof storedLine>;

/**
 * The messages the sink received, in order, kept as JSON lines so a restart keeps them. Every
 * change is made in memory at once, so two requests with one idempotency token can never both
 * record a message, and then written in the order it was made.
 */
export class MessageStore {
  readonly #lines: StoredLine[];
  readonly #file: FileHandle;
  #writes: Promise<void> = Promise.resolve();

  private constructor(file: FileHandle, lines: StoredLine[]) {
    this.#file = file;
    this.#lines = lines;
  }

  /** Opens the store at `path`, reading what an earlier run recorded; a torn last line is dropped. */
  static async open(path: string): Promise<MessageStore> {
    await mkdir(dirname(path), { recursive: true });
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      // Not instanceof Error: an error from another realm (a test runner's sandbox) fails that check.
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return '';
      throw error;
    });
    const lines = text.split('\n').flatMap((line, index, all) => {
      if (line.trim() === '') return [];
      const parsed = storedLine.safeParse(safeJson(line));
      if (parsed.success) return [parsed.data];
      // A crash mid-write leaves at most the last line torn; anything else is a broken file.
      if (index >= all.length - 2) return [];
      throw new Error(`${path}:${index + 1} is not a stored message`);
    });
    return new MessageStore(await open(path, 'a'), lines);
  }

  /** The message first created with `token`, if any. */
  byIdempotencyToken(token: string): SmsMessage | undefined {
    return this.#lines.find((line) => line.idempotencyToken === token)?.message;
  }

  /** Records `message`; resolves once it is on disk. */
  async add(message: SmsMessage, idempotencyToken: string | null): Promise<void> {
    const line = { message, idempotencyToken };
    this.#lines.push(line);
    try {
      await this.#write((file) => file.appendFile(`${JSON.stringify(line)}\n`));
    } catch (error) {
      this.#lines.splice(this.#lines.indexOf(line), 1);
      throw error;
    }
  }

  /** Every message, oldest first, or only those to `to`. */
  list(to?: string): SmsMessage[] {
    return this.#lines.filter((line) => to === undefined || line.message.to === to).map((line) => line.message);
  }

  /** Forgets every message, or only those to `to`, and rewrites the file to match; returns how many. */
  async delete(to?: string): Promise<number> {
    const kept = this.#lines.filter((line) => to !== undefined && line.message.to !== to);
    const deleted = this.#lines.length - kept.length;
    this.#lines.splice(0, this.#lines.length, ...kept);
    const text = kept.map((line) => `${JSON.stringify(line)}\n`).join('');
    await this.#write(async (file) => {
      await file.truncate(0);
      await file.appendFile(text);
    });
    return deleted;
  }

  /** Waits for pending writes and closes the file. */
  async close(): Promise<void> {
    await this.#writes;
    await this.#file.close();
  }

  // Writes run one at a time, in the order the changes were made; a failed one fails only its caller.
  #write(step: (file: FileHandle) => Promise<void>): Promise<void> {
    const next = this.#writes.then(() => step(this.#file));
    this.#writes = next.catch(() => undefined);
    return next;
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
