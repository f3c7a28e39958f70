export { ReadModelConflictError, ReadModelUnavailableError, RebuildInProgressError } from './errors.js';
export { mongoReadModel, type MongoReadModel, type MongoReadModelOptions } from './mongo-read-model.js';
export type { ReadModelDefinition, ReadModelIndex } from './read-model.js';
export type { RebuildOptions, RebuildResult } from './rebuild.js';
export type { StreamHistory } from './stream-history.js';
export {
  ProjectionGapError,
  type ProjectedFields,
  type ProjectionOutcome,
  type ProjectionWrite,
  type VersionedDocument,
} from './versioned-document.js';
