export { ConfigError, type ConfigProblem } from './config/config-error.js';
export { env, type IntegerOptions, type UrlOptions } from './config/env.js';
export { toVerificationJwk, type SigningAlgorithm, type SigningJwk, type VerificationJwk, type VerificationJwks } from './config/jwk.js';
export { loadConfig, type ConfigSchema } from './config/load-config.js';
export { Secret } from './config/secret.js';
export { generateSigningKey, type GenerateSigningKeyOptions } from './http/auth/keys.js';
