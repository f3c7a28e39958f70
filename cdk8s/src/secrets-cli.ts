import { Yaml } from 'cdk8s';
import { ConfigError, loadConfig } from './config.js';
import { freshSecretMaterial, platformSecrets } from './secrets.js';

// Prints the Secrets the manifests reference, with fresh random values, for `kubectl create -f -`.
// Create them once per cluster: PostgreSQL keeps the password it was first started with.
try {
  const { namespace } = loadConfig(process.env);
  process.stdout.write(Yaml.stringify(...platformSecrets(namespace, await freshSecretMaterial())));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`cdk8s secrets: invalid configuration: ${error.message}\n`);
  process.exitCode = 1;
}
