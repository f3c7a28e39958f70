import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLocalConfig, repoRoot } from '@msa/local';

/** The checks every response is held to: the built-in ones the document implies, and the platform's problem check. */
export const FUZZ_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'problem_details_for_client_errors',
] as const;

/** Options for `fuzzOpenApi`. */
export interface FuzzOptions {
  /** The document's URL; the operations are called at its origin. */
  readonly schemaUrl: string;
  /** Headers sent with every request: the bearer token of the guarded routes. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Test cases per operation and phase. @default 10 */
  readonly maxExamples?: number;
  /** Time the run may take before it is stopped and fails. @default 240 000 */
  readonly timeoutMs?: number;
}

/** What a run found: its exit code (0 when every check passed) and its report, to show on a failure. */
export interface FuzzRun {
  readonly exitCode: number | null;
  readonly output: string;
}

// The hooks module registering the platform's own check, beside the hostile specs.
const hooks = fileURLToPath(new URL('../hostile/problem_details.py', import.meta.url));

/** The schemathesis that local/lib/schemathesis.sh installed and linked into the checkout's state directory. */
function schemathesisBinary(): string {
  const state = readLocalConfig().get('MSA_STATE_DIR') ?? '.local';
  return join(isAbsolute(state) ? state : join(repoRoot, state), 'bin', 'schemathesis');
}

/**
 * Runs `schemathesis run` on a service's OpenAPI document with a fixed seed (the same cases every run),
 * the examples, coverage and fuzzing phases, and `FUZZ_CHECKS`; resolves with its exit code and report.
 */
export async function fuzzOpenApi({ schemaUrl, headers = {}, maxExamples = 10, timeoutMs = 240_000 }: FuzzOptions): Promise<FuzzRun> {
  const args = [
    '--no-color',
    'run',
    schemaUrl,
    '--checks',
    FUZZ_CHECKS.join(','),
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    String(maxExamples),
    '--seed',
    '1',
    '--workers',
    '1',
    '--request-timeout',
    '10',
    '--suppress-health-check',
    'all',
    '--output-truncate',
    'false',
    ...Object.entries(headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
  ];
  const child = spawn(schemathesisBinary(), args, {
    env: { ...process.env, SCHEMATHESIS_HOOKS: hooks, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timer = setTimeout(() => {
    output += `\nstopped after ${timeoutMs} ms`;
    child.kill('SIGKILL');
  }, timeoutMs);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', (error) => { reject(new Error(`schemathesis did not start (${error.message}); local/run-tests installs it`)); });
      child.on('close', (code) => { resolve(code); });
    });
    return { exitCode, output };
  } finally {
    clearTimeout(timer);
  }
}
