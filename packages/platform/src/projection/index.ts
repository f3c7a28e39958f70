export { ReadModelConflictError, ReadModelUnavailableError, RebuildInProgressError } from './errors.js';
export { mongoReadModel, type MongoReadModel } from './mongo-read-model.js';
export type { ReadModelDefinition, ReadModelIndex } from './read-model.js';
export type { RebuildOptions, RebuildResult } from './rebuild.js';
export {
  ProjectionGapError,
  versionedProjection,
  type ProjectedFields,
  type ProjectionOutcome,
  type ProjectionUpdate,
  type ProjectionWrite,
  type VersionedDocument,
  type VersionedProjection,
} from './versioned-projection.js';
