import { Agent } from 'node:https';
import {
  createConfiguration,
  ServerConfiguration,
  type ApiConstructor,
  type ApiType,
  type KubeConfig,
  type RequestContext,
  type SecurityAuthentication,
} from '@kubernetes/client-node';

/**
 * Builds Kubernetes API clients whose requests share one keep-alive connection pool. client-node's
 * own `makeApiClient` creates a fresh HTTPS agent per request, so every call pays a TLS handshake
 * and re-parses the client key; under load that was most of the operator's CPU.
 */
export function keepAliveApiClients(kubeConfig: KubeConfig): <T extends ApiType>(api: ApiConstructor<T>) => T {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: new KeepAliveAuthentication(kubeConfig) },
  });
  return (api) => new api(configuration);
}

// Applies the kubeconfig's credentials as usual (headers are refreshed per call, so rotating
// tokens keep working), then swaps the per-call agent for one shared keep-alive agent built from
// the same TLS options. Proxy agents are left alone.
class KeepAliveAuthentication implements SecurityAuthentication {
  private shared: Agent | undefined;

  constructor(private readonly kubeConfig: KubeConfig) {}

  getName(): string {
    return 'kubeconfig-keep-alive';
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.kubeConfig.applySecurityAuthentication(context);
    const agent = context.getAgent();
    if (!(agent instanceof Agent) || agent.constructor !== Agent) return;
    this.shared ??= new Agent({ ...agent.options, keepAlive: true, maxSockets: 32 });
    context.setAgent(this.shared);
  }
}
