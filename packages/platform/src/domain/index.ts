// The pure part of the platform a service's `src/domain/` may import as `@msa/platform/domain`:
// no I/O module is in its import graph.
export { type Backoff, backoffDelayMs } from './backoff.js';
export {
  AggregateAlreadyExists,
  AggregateNotFound,
  DomainRejection,
  FieldsRefused,
  InvalidFields,
  ValueTaken,
  type FieldRejection,
} from './rejections.js';
