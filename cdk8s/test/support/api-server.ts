import { request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { localServers } from '@msa/local';
import type { Manifest } from '../../src/index.js';

/** What the API server answered, and its body as text. */
export interface ApiResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * The local kube-apiserver (which `npm start` runs, with the Strimzi CRDs installed), spoken to with
 * the raw bodies the app rendered: a typed client would drop the fields it does not know, which are
 * exactly what strict field validation must see.
 */
export class ApiServer {
  private readonly kubeConfig = new KubeConfig();
  private readonly resources = new Map<string, Promise<ReadonlyMap<string, { readonly plural: string; readonly namespaced: boolean }>>>();

  constructor() {
    this.kubeConfig.loadFromFile(localServers().kubeconfigPath);
  }

  async call(method: string, path: string, body?: string, contentType = 'application/json'): Promise<ApiResponse> {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (server === undefined) throw new Error('the local kubeconfig names no cluster');
    const url = new URL(path, server);
    const options: Parameters<typeof request>[1] = { method, headers: { 'content-type': contentType, accept: 'application/json' } };
    await this.kubeConfig.applyToHTTPSOptions(options);
    return new Promise((resolve, reject) => {
      const req = request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Server-side applies `manifest` as a dry run with strict field validation: nothing is stored,
   * and an unknown or duplicate field, a schema violation or a refused value is an error answer.
   */
  async dryRunApply(manifest: Manifest): Promise<ApiResponse> {
    const { plural, namespaced } = await this.resourceOf(manifest.apiVersion, manifest.kind);
    const base = manifest.apiVersion.includes('/') ? `/apis/${manifest.apiVersion}` : `/api/${manifest.apiVersion}`;
    const scope = namespaced ? `/namespaces/${manifest.metadata.namespace ?? 'default'}` : '';
    const query = 'dryRun=All&fieldValidation=Strict&fieldManager=cdk8s-spec&force=true';
    return this.call('PATCH', `${base}${scope}/${plural}/${manifest.metadata.name}?${query}`, JSON.stringify(manifest), 'application/apply-patch+yaml');
  }

  private async resourceOf(apiVersion: string, kind: string): Promise<{ readonly plural: string; readonly namespaced: boolean }> {
    let found = this.resources.get(apiVersion);
    if (found === undefined) {
      found = this.discover(apiVersion);
      this.resources.set(apiVersion, found);
    }
    const resource = (await found).get(kind);
    if (resource === undefined) throw new Error(`the API server serves no ${kind} in ${apiVersion}`);
    return resource;
  }

  private async discover(apiVersion: string): Promise<ReadonlyMap<string, { readonly plural: string; readonly namespaced: boolean }>> {
    const response = await this.call('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
    if (response.status !== 200) throw new Error(`discovery of ${apiVersion} answered ${response.status}: ${response.body}`);
    const list = JSON.parse(response.body) as { resources: { name: string; kind: string; namespaced: boolean }[] };
    return new Map(list.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }]));
  }
}
