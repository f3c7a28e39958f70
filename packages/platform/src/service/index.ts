export { AFTER_PROJECTED_TIMEOUT_MS, type AfterProjected } from './after-projected.js';
export { createService, type CreateServiceOptions, type Service } from './create-service.js';
export type {
  AnyReadModel,
  ServiceConfigSchema,
  ServiceConsumer,
  ServiceDefinition,
  ServiceKit,
  ServiceParts,
  ServiceWorker,
} from './definition.js';
export { loadOrExit, type LoadOrExitOptions } from './load-or-exit.js';
export { finishesWithin, pollLoop, type PollLoop, type PollLoopOptions } from './poll-loop.js';
export {
  loadRebuildConfig,
  RebuildCommandError,
  rebuildReadModels,
  type RebuildReadModelsOptions,
} from './rebuild-command.js';
export { runService, type RunServiceOptions } from './run-service.js';
export {
  serviceVariables,
  type RebuildConfig,
  type ServiceConfig,
  type ServiceVariableDefaults,
} from './service-config.js';
export { signingKeyListed, tokenIssuerFrom, tokenSigningVariables, type TokenSigningConfig } from './token-signing.js';
