import type { DomainEvent } from '@msa/contracts';
import type { ProjectedFields, VersionedDocument } from './versioned-document.js';

/** An index that every collection of a read model carries, rebuilt ones included. */
export interface ReadModelIndex<D extends VersionedDocument> {
  readonly name: string;
  /** The indexed fields in order: 1 ascending, -1 descending. */
  readonly key: Readonly<Partial<Record<keyof D & string, 1 | -1>>>;
}

/**
 * A MongoDB read model as a declaration: what it is called, which events it is built from, and how
 * one event turns a stored document into the next. The platform derives the rest (`mongoReadModel`):
 * the version-guarded live write, the rebuild from the event log, and the switch to a rebuilt
 * collection. One document per event stream: its `_id` is the event's `aggregateId`, its `version` the
 * stream version of the last event applied.
 */
export interface ReadModelDefinition<D extends VersionedDocument, E extends DomainEvent> {
  /**
   * The collection it lives in until its first rebuild, the id of its pointer document, and the prefix
   * of the collections rebuilds create (`<name>_rebuilt_<suffix>`).
   */
  readonly name: string;
  /** The event types it is built from; the rebuild skips the others and live handlers exist for these. */
  readonly handles: readonly E['eventType'][];
  /**
   * The whole next document after `event`, from the stored one (`undefined` when there is none yet).
   * Pure. Returns `undefined` when the event needs a document that does not exist yet (an update that
   * overtook its creation); the platform then reports a `ProjectionGapError`. `_id` and `version` are
   * stamped by the platform.
   */
  evolve(document: D | undefined, event: E): ProjectedFields<D> | undefined;
  readonly indexes?: readonly ReadModelIndex<D>[];
}

/** Whether `definition` is built from `event`'s type. */
export function isHandledBy<E extends DomainEvent>(
  definition: { readonly handles: readonly E['eventType'][] },
  event: DomainEvent,
): event is E {
  return (definition.handles as readonly string[]).includes(event.eventType);
}
