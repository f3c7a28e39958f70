import { synthesizeProfile } from '@msa/cdk8s';
import type { KubeObject } from './objects.js';

/** The objects the chart is generated from: the cdk8s app's kind profile, with its defaults. */
export function kindProfileObjects(): KubeObject[] {
  return [...synthesizeProfile('kind').manifests];
}
