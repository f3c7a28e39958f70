import type { Db } from 'mongodb';
import { RebuildInProgressError } from './errors.js';

/** The collection of pointer documents, one per read model, named as the first read model named it. */
export const POINTERS = 'read_model_meta';

interface PointerDocument {
  /** The read model's name. */
  readonly _id: string;
  /** The collection serving it. */
  readonly collection: string;
  readonly rebuiltAt: Date;
}

const DUPLICATE_KEY = 11000;

/**
 * Which collection serves a read model. FerretDB can neither rename over an existing collection nor
 * run multi-document transactions, so the switch to a rebuilt collection is one single-document
 * update of this pointer; without a pointer document the read model's own name serves.
 */
export interface ReadModelPointer {
  /** The collection serving reads and live writes now. */
  active(): Promise<string>;
  /**
   * Points the read model at `next` if it still points at `expected`.
   *
   * @throws RebuildInProgressError when the pointer moved meanwhile.
   */
  switchTo(expected: string, next: string, at: Date): Promise<void>;
}

/** The pointer of read model `name` in `db`. */
export function readModelPointer(db: Db, name: string): ReadModelPointer {
  const pointers = db.collection<PointerDocument>(POINTERS);
  return {
    async active() {
      return (await pointers.findOne({ _id: name }))?.collection ?? name;
    },
    async switchTo(expected, next, at) {
      const moved = await pointers.updateOne({ _id: name, collection: expected }, { $set: { collection: next, rebuiltAt: at } });
      if (moved.matchedCount === 1) return;
      const moreRecent = new RebuildInProgressError(name, `its pointer no longer names ${expected}`);
      // No pointer document yet means the read model's own name served; anything else is a rebuild
      // that switched it while this one ran.
      if (expected !== name) throw moreRecent;
      try {
        await pointers.insertOne({ _id: name, collection: next, rebuiltAt: at });
      } catch (error) {
        if (typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY) throw moreRecent;
        throw error;
      }
    },
  };
}
