#!/usr/bin/env node
// The file npm links as `msa`. It is committed, executable, rather than tsc's output: npm links the
// bins at install, before the build, and tsc writes a new file without the executable bit.
import { existsSync } from 'node:fs';

const program = new URL('../../dist/src/cli/msa.js', import.meta.url);
if (existsSync(program)) {
  await import(program.href);
} else {
  process.stderr.write('msa: local/dist/src/cli/msa.js is not built: run npm run build\n');
  process.exitCode = 1;
}
