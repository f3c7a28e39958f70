/**
 * Waits until the named KafkaTopics of one namespace are Ready; for each that is not when the time is
 * up, prints its name, its condition's reason and message, and exits 1. local/up names the catalog's
 * own topics, so a topic someone else declared in the namespace never holds the platform up.
 *   await-topics --kubeconfig PATH --namespace NS [--timeout-seconds 120] NAME...
 */
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { awaitTopicsReady, customObjectsApi } from './topic-readiness.js';

const usage = 'usage: await-topics --kubeconfig PATH --namespace NS [--timeout-seconds N] NAME...';
// Each API call gets this long, so the wait ends at most this much after --timeout-seconds.
const REQUEST_TIMEOUT_MS = 5_000;

function parse(): { kubeconfig: string; namespace: string; timeoutSeconds: number; names: string[] } {
  const { values, positionals } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      'timeout-seconds': { type: 'string', default: '120' },
    },
    allowPositionals: true,
  });
  const { kubeconfig, namespace } = values;
  if (kubeconfig === undefined || namespace === undefined) throw new Error('--kubeconfig and --namespace are required');
  const timeoutSeconds = Number(values['timeout-seconds']);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
    throw new Error(`--timeout-seconds must be a whole number of seconds, not ${values['timeout-seconds']}`);
  }
  if (positionals.length === 0) throw new Error('name at least one KafkaTopic');
  return { kubeconfig, namespace, timeoutSeconds, names: positionals };
}

let options: ReturnType<typeof parse>;
try {
  options = parse();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(2);
}

const { kubeconfig, namespace, timeoutSeconds, names } = options;
let exitCode = 0;
try {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  const api = customObjectsApi(kubeConfig, REQUEST_TIMEOUT_MS);
  const notReady = await awaitTopicsReady({ api, namespace, names, timeoutMs: timeoutSeconds * 1000 });
  if (notReady.length > 0) {
    const lines = notReady.map(({ name, reason, message }) => `  ${name}: ${reason}${message === '' ? '' : `: ${message}`}\n`);
    const heading = `${notReady.length} of ${names.length} KafkaTopics in namespace ${namespace} not Ready after ${timeoutSeconds}s:`;
    process.stderr.write(`${heading}\n${lines.join('')}`);
    exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
}
// Exits now rather than when the event loop drains: a connection attempt that was aborted can keep
// it busy for the HTTP client's own connect timeout.
process.exit(exitCode);
