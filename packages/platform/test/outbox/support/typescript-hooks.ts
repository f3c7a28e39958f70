// Loaded with `node --import` by specs that run a platform program from its sources in a child
// process, as jest runs them in-process: `.js` specifiers find the `.ts` beside them, `@msa/*`
// packages resolve to their sources, and TypeScript is compiled by swc with jest's settings.
// Node strips the types of this file itself, so it uses erasable syntax only.
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const packages = new URL('../../../../', import.meta.url);
const SOURCES: Readonly<Record<string, URL>> = {
  '@msa/contracts': new URL('contracts/src/index.ts', packages),
  '@msa/platform': new URL('platform/src/index.ts', packages),
};

function isOurSource(url: string): boolean {
  return url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/');
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const source = SOURCES[specifier];
    if (source !== undefined) return { url: source.href, format: 'module', shortCircuit: true };
    const parent = context.parentURL;
    if (parent !== undefined && isOurSource(parent) && specifier.startsWith('.') && specifier.endsWith('.js')) {
      const typescript = new URL(`${specifier.slice(0, -'.js'.length)}.ts`, parent);
      if (existsSync(fileURLToPath(typescript))) return { url: typescript.href, format: 'module', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!isOurSource(url)) return nextLoad(url, context);
    const filename = fileURLToPath(url);
    const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
