import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.js';
import { synthesizeProfile, writeProfile } from './synthesize.js';

// Renders the profile CDK8S_PROFILE names into cdk8s/dist/<profile>/, one file per chart.
const workspace = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
try {
  const config = loadConfig(process.env);
  const synthesized = synthesizeProfile(config.profile, config);
  for (const file of writeProfile(synthesized, join(workspace, 'dist', config.profile))) {
    process.stdout.write(`${relative(process.cwd(), file)}\n`);
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`cdk8s: invalid configuration: ${error.message}\n`);
  process.exitCode = 1;
}
