#!/usr/bin/env node
import { CommanderError } from 'commander';
import { createDltProgram } from './program.js';

// The platform's operator command line: `node packages/platform/dist/src/cli/dlt.js --help`. Locally,
// `npx msa` runs it with the local platform's settings filled in.
const program = createDltProgram({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  setExitCode: (code) => {
    process.exitCode = code;
  },
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
