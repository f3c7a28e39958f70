/** Something a spec file starts once and closes at its end: a service under test, say. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * How each member of a shared `T` is reached before `beforeAll` has made it: `method`s are forwarded,
 * so a spec may take them apart at `describe` time (`const { api } = useX()`); `value`s are read
 * through a getter when used, inside a test.
 */
export type SharedShape<T extends Closable> = Readonly<Record<Exclude<keyof T, 'close'>, 'value' | 'method'>>;

/**
 * Registers the spec file's `beforeAll`, which makes the thing with `start`, and its `afterAll`, which
 * closes it, and returns a stand-in usable once `beforeAll` has run. Call it first inside `describe`,
 * so its `beforeAll` runs before the spec's own. Using the stand-in earlier throws, naming `what`.
 */
export function sharedPerFile<T extends Closable>(
  what: string,
  start: () => Promise<T>,
  shape: SharedShape<T>,
  timeoutMs: number,
): Omit<T, 'close'> {
  let started: T | undefined;
  const ready = (): T => {
    if (started === undefined) throw new Error(`the ${what} is used before its beforeAll has run`);
    return started;
  };
  beforeAll(async () => {
    started = await start();
  }, timeoutMs);
  afterAll(async () => {
    await started?.close();
  }, timeoutMs);
  const standIn = {};
  for (const [key, kind] of Object.entries(shape) as [keyof T & string, 'value' | 'method'][]) {
    Object.defineProperty(
      standIn,
      key,
      kind === 'method'
        ? {
            enumerable: true,
            value: (...args: unknown[]): unknown => (ready()[key] as (...args: unknown[]) => unknown)(...args),
          }
        : { enumerable: true, get: () => ready()[key] },
    );
  }
  return standIn as Omit<T, 'close'>;
}
