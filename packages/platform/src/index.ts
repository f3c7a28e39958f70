export { ConfigError, type ConfigProblem } from './config/config-error.js';
export { env, type IntegerOptions, type UrlOptions } from './config/env.js';
export {
  toVerificationJwk,
  type SigningAlgorithm,
  type SigningJwk,
  type VerificationJwk,
  type VerificationJwks,
} from './config/jwk.js';
export { loadConfig, type ConfigSchema } from './config/load-config.js';
export { Secret } from './config/secret.js';
export * from './domain/index.js';
export { unavailableDependency } from './dependencies/unavailable.js';
export { cursorCodec, invalidCursor, type CursorCodec } from './http/cursor.js';
export { createHttpApp, type HttpApp, type HttpAppOptions } from './http/app.js';
export { generateSigningKey, type GenerateSigningKeyOptions } from './http/auth/keys.js';
export { principalOf, ROLES, type AuthMiddleware, type Principal, type Role } from './http/auth/principal.js';
export { requireAuth, type RequireAuthOptions } from './http/auth/require-auth.js';
export {
  ISSUED_AT_MS_CLAIM,
  createTokenIssuer,
  type IssuedToken,
  type TokenIssuer,
  type TokenIssuerOptions,
} from './http/auth/token-issuer.js';
export {
  MAX_TOKEN_LIFETIME_MS,
  redisTokenRevocations,
  type RedisTokenRevocationsOptions,
  type RevocationCheck,
  type TokenRevocations,
} from './http/auth/token-revocations.js';
export type { ErrorMapper } from './http/error-handler.js';
export {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ProblemError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  type FieldError,
  type ProblemErrorOptions,
  type ProblemKind,
  type ServiceUnavailableErrorOptions,
  type UnauthorizedErrorOptions,
} from './http/errors.js';
export type { CheckResult, ReadinessCheck } from './http/health.js';
export type { OpenApiDocument, OpenApiInfo } from './http/openapi.js';
export { problemSchema, type Problem } from './http/problem.js';
export {
  route,
  type HttpMethod,
  type ProblemStatus,
  type Reply,
  type RequestCommandContext,
  type Responder,
  type ResponseSpec,
  type Route,
  type RouteInput,
  type RouteSpec,
} from './http/route.js';
export { createGracefulShutdown, type GracefulShutdown, type GracefulShutdownOptions } from './http/shutdown.js';
export { createLogger, type Logger, type LoggerOptions } from './telemetry/logger.js';
export { createMetricsRegistry, createPlatformMetrics, type PlatformMetrics } from './telemetry/metrics.js';
export { activeTraceId, extractTraceContext, injectTraceHeaders, withSpan, type MessageHeaders } from './telemetry/propagation.js';
export { startTelemetry, type TelemetryOptions } from './telemetry/tracing.js';
export * from './event-store/index.js';
export * from './outbox/index.js';
export * from './postgres/index.js';
export * from './consumer/index.js';
export * from './projection/index.js';
export * from './kafka/index.js';
export * from './mongo/index.js';
export * from './cache/index.js';
export * from './service/index.js';
