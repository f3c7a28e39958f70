import { execFile } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { readLocalConfig, repoRoot } from '@msa/local';

/** What a finished command printed and how it ended. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A program local/up builds into .local/bin (tools_install in local/lib/tools.sh): `helm`, `kind-config-check`. */
export function localTool(name: string): string {
  const stateDir = readLocalConfig().get('MSA_STATE_DIR') ?? '.local';
  return join(isAbsolute(stateDir) ? stateDir : join(repoRoot, stateDir), 'bin', name);
}

/**
 * Runs a program to its end and resolves with its exit code and output, whatever the code; rejects
 * only when it cannot start, naming the program and what builds it.
 */
export function run(program: string, args: readonly string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(program, args, { maxBuffer: 64 * 1024 * 1024, cwd: repoRoot }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`${program} did not run (${error.message}); local/up --servers-only builds it`));
        return;
      }
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
