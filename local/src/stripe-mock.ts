import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readLocalConfig, repoPath, requireValue } from './config.js';
import { eventually } from './waiting.js';

/** A stripe-mock a spec started for itself: Stripe's API, stateless, with canned answers. */
export interface StripeMock {
  /** Its HTTP address on 127.0.0.1, such as `http://127.0.0.1:40123`: the API base a Stripe client is given. */
  readonly url: string;
  /** Stops it; resolves once the process has exited. */
  stop(): Promise<void>;
}

export interface StripeMockOptions {
  /**
   * A JSON file of fixtures that replaces the bundled ones, shaped `{ "resources": { "payment_intent": {…} } }`:
   * every answer is built from the fixture of its resource, so it must hold each resource the spec asks for.
   * @default the fixtures stripe-mock bundles
   */
  readonly fixtures?: string;
  /** @default 20 000 */
  readonly startTimeoutMs?: number;
}

/** Any test-mode secret key of that shape is one stripe-mock takes. */
export const STRIPE_MOCK_API_KEY = 'sk_test_123';

/**
 * Starts the stripe-mock binary that local/up built (`STRIPE_MOCK_VERSION` in local/config.env) on a port
 * of its own choosing on 127.0.0.1, and resolves once it answers there as that version.
 */
export async function startStripeMock(options: StripeMockOptions = {}): Promise<StripeMock> {
  const config = readLocalConfig();
  const version = requireValue(config, 'STRIPE_MOCK_VERSION');
  const binary = join(repoPath(requireValue(config, 'MSA_CACHE_DIR')), 'bin', `stripe-mock-${version}`);
  // Port 0 and the address it prints leave no window in which another process takes the port. HTTPS is
  // bound too, on loopback: stripe-mock serves it on every interface at 12112 unless told otherwise.
  const args = ['-http-addr', '127.0.0.1:0', '-https-addr', '127.0.0.1:0'];
  if (options.fixtures !== undefined) args.push('-fixtures', options.fixtures);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  let output = '';
  let exited: string | undefined;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exit = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      exited ??= signal === null ? `exited with code ${String(code)}` : `was stopped by ${signal}`;
      resolve();
    });
  });
  child.on('error', (error) => {
    exited = `could not start (${error.message}); run local/up --servers-only, which builds it`;
  });

  const stop = async () => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      await exit;
    }
  };
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  try {
    const url = await eventually(async () => {
      if (exited !== undefined) throw new Error(`stripe-mock ${version} at ${binary} ${exited}:\n${output}`);
      const port = /Listening for HTTP at address: 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port === undefined) return undefined;
      return (await answers(`http://127.0.0.1:${port}`, version)) ? `http://127.0.0.1:${port}` : undefined;
    }, timeoutMs).catch((error: unknown) => {
      throw exited === undefined ? new Error(`stripe-mock did not answer within ${timeoutMs} ms:\n${output}`, { cause: error }) : error;
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Whether stripe-mock answers at `url` as `version`. Asked without a key, it refuses before it looks up
 * any fixture, so the probe holds whatever fixtures it was given.
 */
async function answers(url: string, version: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v1/payment_intents`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 401 && response.headers.get('stripe-mock-version') === version;
  } catch {
    return false;
  }
}
