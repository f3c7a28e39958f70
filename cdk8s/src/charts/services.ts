import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ServiceDeployment } from '../constructs/service-deployment.js';
import type { ProgramSpec } from '../programs.js';
import type { Profile } from '../profiles.js';

export interface ServicesChartProps {
  readonly namespace: string;
  readonly profile: Profile;
  /** The six services' specs (the operator has a chart of its own). */
  readonly services: readonly ProgramSpec[];
}

/** Node ports kind maps to the host (kind-config.yaml): 8081 is reached at 30081, and so on. */
export const nodePortOf = (port: number): number => 30_000 + port - 8_000;

/** The six services, each a `ServiceDeployment` reached on its own port and, on a node, at its node port. */
export class ServicesChart extends Chart {
  constructor(scope: Construct, id: string, { namespace, profile, services }: ServicesChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const program of services) {
      new ServiceDeployment(this, program.name, { namespace, profile, program, nodePort: nodePortOf(program.port) });
    }
  }
}
