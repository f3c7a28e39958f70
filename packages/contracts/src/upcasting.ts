import type { z } from 'zod';
import { EventParseError } from './errors.js';

/**
 * One step of schema evolution: reads a payload stored at `fromVersion` and returns it in the shape
 * of `fromVersion + 1`. The old shape is validated first, so a bad stored event fails naming the
 * field as it was written.
 */
export interface Upcaster {
  readonly eventType: string;
  readonly fromVersion: number;
  /** Why the shape changed, for the reader of the history. */
  readonly reason: string;
  readonly step: z.ZodType<Record<string, unknown>>;
}

/** Declares an upcaster from a schema of the old payload and a pure function to the next shape. */
export function defineUpcaster<S extends z.ZodType>(definition: {
  readonly eventType: string;
  readonly fromVersion: number;
  readonly reason: string;
  readonly from: S;
  readonly upcast: (old: z.output<S>) => Record<string, unknown>;
}): Upcaster {
  const { eventType, fromVersion, reason, from, upcast } = definition;
  return { eventType, fromVersion, reason, step: from.transform(upcast) };
}

/** The upcasters do not form a complete chain from version 1 to each current version. */
export class UpcasterChainError extends Error {
  override readonly name = 'UpcasterChainError';

  /** @param problems each bad step, such as `OrderCreated@1: registered twice`. */
  constructor(readonly problems: readonly string[]) {
    super(`invalid upcaster chain: ${problems.join('; ')}`);
  }
}

/** The outcome of upcasting one payload. */
export type UpcastResult =
  | { readonly success: true; readonly payload: unknown }
  | { readonly success: false; readonly error: EventParseError };

/** Brings a stored payload of any supported version to its event type's current shape. */
export type UpcasterChain = (eventType: string, schemaVersion: number, payload: unknown) => UpcastResult;

/**
 * Checks that every event type has exactly one upcaster for each version below its current one, and
 * returns the chain. Called when the contracts module loads, so a missing or stray step stops every
 * program at start-up rather than failing on the first old event.
 *
 * @throws UpcasterChainError listing every missing, duplicate or out-of-range step.
 */
export function createUpcasterChain(
  currentVersions: Readonly<Record<string, number>>,
  upcasters: readonly Upcaster[],
): UpcasterChain {
  const registered = new Map<string, Upcaster>();
  const problems: string[] = [];
  for (const upcaster of upcasters) {
    const key = `${upcaster.eventType}@${upcaster.fromVersion}`;
    const current = currentVersions[upcaster.eventType];
    if (current === undefined) problems.push(`${key}: unknown event type`);
    else if (!isVersionBelow(upcaster.fromVersion, current)) {
      problems.push(`${key}: outside versions 1..${current - 1}`);
    } else if (registered.has(key)) problems.push(`${key}: registered twice`);
    registered.set(key, upcaster);
  }
  // pipelines.get(type)[v - 1] reads version v into version v + 1.
  const pipelines = new Map<string, readonly Upcaster[]>();
  for (const [eventType, current] of Object.entries(currentVersions)) {
    const pipeline: Upcaster[] = [];
    for (let version = 1; version < current; version += 1) {
      const upcaster = registered.get(`${eventType}@${version}`);
      if (upcaster) pipeline.push(upcaster);
      else problems.push(`${eventType}: no upcaster from version ${version} to ${version + 1}`);
    }
    pipelines.set(eventType, pipeline);
  }
  if (problems.length > 0) throw new UpcasterChainError(problems);

  return (eventType, schemaVersion, payload) => {
    const current = currentVersions[eventType];
    const pipeline = pipelines.get(eventType);
    if (current === undefined || pipeline === undefined) {
      return unsupported(`${eventType} has no schema versions`);
    }
    if (schemaVersion > current) {
      return unsupported(
        `${eventType} schemaVersion ${schemaVersion} is newer than the ${current} this build reads; ` +
          'upgrade the contracts package',
      );
    }
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
      return unsupported(`schemaVersion must be an integer from 1, got ${schemaVersion}`);
    }
    let value = payload;
    for (const upcaster of pipeline.slice(schemaVersion - 1)) {
      const result = upcaster.step.safeParse(value);
      if (!result.success) {
        const note = ` (as written at schemaVersion ${upcaster.fromVersion})`;
        const error = EventParseError.fromZod('INVALID_EVENT', result.error, ['payload'], note);
        return { success: false, error };
      }
      value = result.data;
    }
    return { success: true, payload: value };
  };
}

function isVersionBelow(version: number, current: number): boolean {
  return Number.isInteger(version) && version >= 1 && version < current;
}

function unsupported(message: string): UpcastResult {
  return {
    success: false,
    error: new EventParseError('UNSUPPORTED_SCHEMA_VERSION', [{ path: 'schemaVersion', message }]),
  };
}
