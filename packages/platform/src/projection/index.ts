export {
  ProjectionGapError,
  versionedProjection,
  type ProjectedFields,
  type ProjectionOutcome,
  type ProjectionUpdate,
  type VersionedDocument,
  type VersionedProjection,
} from './versioned-projection.js';
