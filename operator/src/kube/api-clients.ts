import {
  createConfiguration,
  ServerConfiguration,
  type ApiConstructor,
  type ApiType,
  type KubeConfig,
  type RequestContext,
  type SecurityAuthentication,
} from '@kubernetes/client-node';

/** The undici dispatcher client-node sends a request through. */
type Dispatcher = Parameters<RequestContext['setDispatcher']>[0];

/**
 * Builds Kubernetes API clients whose requests share one keep-alive connection pool. client-node's
 * own `makeApiClient` builds a fresh undici dispatcher per request, so every call pays a TLS
 * handshake and re-parses the client key; under load that was most of the operator's CPU.
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
// tokens keep working), then keeps the first call's dispatcher (built by client-node from the
// kubeconfig's TLS and proxy settings, which do not change) and sends every later call through it,
// so its connections are reused. Without TLS material there is no dispatcher of its own: fetch's
// global one then pools the connections already.
class KeepAliveAuthentication implements SecurityAuthentication {
  private shared: Dispatcher | undefined;

  constructor(private readonly kubeConfig: KubeConfig) {}

  getName(): string {
    return 'kubeconfig-keep-alive';
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.kubeConfig.applySecurityAuthentication(context);
    const dispatcher = context.getDispatcher();
    if (dispatcher === undefined) return;
    this.shared ??= dispatcher;
    context.setDispatcher(this.shared);
  }
}
