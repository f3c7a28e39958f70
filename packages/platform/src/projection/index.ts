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
