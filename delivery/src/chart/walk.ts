import { isRecord } from './objects.js';

/** Where a value sits in its object: keys and list indexes from the root. */
export type Path = readonly (string | number)[];

/**
 * A copy of `value` in which `visit` may replace any value: what it returns (not undefined) takes
 * the value's place and is not walked further.
 */
export function transform(value: unknown, visit: (value: unknown, path: Path) => unknown, path: Path = []): unknown {
  const replaced = visit(value, path);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((item, index) => transform(item, visit, [...path, index]));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, transform(item, visit, [...path, key])]));
  }
  return value;
}

/** Every value of `value`, with its path, depth first. */
export function* entries(value: unknown, path: Path = []): Generator<readonly [unknown, Path]> {
  yield [value, path];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* entries(item, [...path, index]);
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) yield* entries(item, [...path, key]);
  }
}

/** True when `path` is `pattern`, where `*` in the pattern stands for any list index. */
export function pathIs(path: Path, pattern: string): boolean {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((part, index) => part === '*' ? typeof path[index] === 'number' : part === String(path[index]));
}
