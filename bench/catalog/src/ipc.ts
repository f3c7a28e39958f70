import { fork, type ChildProcess } from 'node:child_process';
import { z } from 'zod';


/** The envelope of a child's answer: the value, or why the request failed. */
const Answer = z.discriminatedUnion('ok', [
  z.object({ id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ id: z.number(), ok: z.literal(false), message: z.string() }),
]);

/** A child program the parent asks things of, with requests of type `R`. */
export interface ChildProgram<R> {
  /** Sends `request` and parses the answer with `schema`; rejects with the child's message when it failed. */
  ask<T>(request: R, schema: z.ZodType<T>): Promise<T>;
  /** Closes the channel, which ends the child, and waits for it to exit, killing it after `graceMs`. */
  close(graceMs: number): Promise<void>;
}

/**
 * Forks `module` (a compiled program of this bench) with an IPC channel. Its output goes to the
 * parent's, so a warning it logs is seen; it ends when the channel closes.
 */
export function forkProgram<R>(module: URL, execArgv: readonly string[] = []): ChildProgram<R> {
  const child: ChildProcess = fork(module, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...execArgv] });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 0;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const { reject } of waiting.values()) reject(new Error(`${module.pathname} exited (${signal ?? String(code)}) before it answered`));
      waiting.clear();
      resolve();
    });
  });
  child.on('message', (message: unknown) => {
    const answer = Answer.parse(message);
    const pending = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.ok) pending?.resolve(answer.value);
    else pending?.reject(new Error(answer.message));
  });

  return {
    async ask(request, schema) {
      const id = next;
      next += 1;
      const value = await new Promise<unknown>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, request }, (error) => {
          if (error === null) return;
          waiting.delete(id);
          reject(error);
        });
      });
      return schema.parse(value);
    },
    async close(graceMs) {
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * The child's side: answers each request the parent sends with `handle`'s value, or its error's
 * message, and runs `onParentGone` once the channel closes (the parent is done, or died).
 */
export function serveParent<R>(parse: (request: unknown) => R, handle: (request: R) => Promise<unknown>, onParentGone: () => Promise<void> | void): void {
  const send = (answer: z.input<typeof Answer>) => {
    process.send?.(answer);
  };
  process.on('message', (message: unknown) => {
    const { id, request } = z.object({ id: z.number(), request: z.unknown() }).parse(message);
    handle(parse(request)).then(
      (value) => {
        send({ id, ok: true, value });
      },
      (error: unknown) => {
        send({ id, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      },
    );
  });
  process.once('disconnect', () => void onParentGone());
}
