import { parseArgs } from 'node:util';
import type { TopicTarget } from '@msa/contracts';
import { stringify } from 'yaml';
import { platformTopicManifests } from '../manifests/platform-topics.js';

// Prints the platform's KafkaTopics as multi-document YAML, for `kubectl apply -f -`:
//   render-topics --namespace msa --cluster msa-kafka [--profile local|cluster | --replicas N]
const usage = 'usage: render-topics --namespace NS --cluster NAME [--profile local|cluster | --replicas N]';

try {
  const { values } = parseArgs({
    options: {
      namespace: { type: 'string' },
      cluster: { type: 'string' },
      profile: { type: 'string', default: 'local' },
      replicas: { type: 'string' },
    },
  });
  const { namespace, cluster, profile, replicas } = values;
  if (namespace === undefined || cluster === undefined) throw new Error('--namespace and --cluster are required');
  if (profile !== 'local' && profile !== 'cluster') throw new Error(`--profile must be local or cluster, not ${profile}`);
  const target: TopicTarget = replicas === undefined ? { profile } : { replicas: Number(replicas) };
  const manifests = platformTopicManifests({ namespace, clusterName: cluster, target });
  process.stdout.write(manifests.map((m) => `---\n${stringify(m)}`).join(''));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(2);
}
