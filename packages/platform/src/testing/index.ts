// Test code for services' specs, imported as `@msa/platform/testing` and never from the main entry,
// so none of it is in a service's runtime import graph.
export { createTestAuth, type TestAuth } from './auth.js';
export { configProblems, serviceEnvironment, type ServiceEnvironmentOptions } from './config.js';
export {
  deciderSpec,
  type DeciderGiven,
  type DeciderSpec,
  type DeciderSpecOptions,
  type DeciderThen,
  type ErrorClass,
  type GivenEvent,
} from './decider-spec.js';
export { createInMemoryEventStore, type InMemoryEventStoreOptions } from './in-memory-event-store.js';
export { routeTestApp, type RouteTestAppOptions } from './routes.js';
export { type Closable, type SharedShape, sharedPerFile } from './shared-per-file.js';
export {
  serviceTestTopics,
  startTestService,
  type TestServiceHarness,
  type TestServiceHarnessOptions,
  type TopicUser,
} from './service-harness.js';
