// Assembles what one program needs at run time, in the build stage of images/service/Dockerfile:
//   node images/service/assemble.js WORKSPACE OUT
// Run in the built monorepo, it narrows the root package.json to WORKSPACE and the workspaces it
// runs with (its @msa production dependencies), drops every devDependencies field, lets
// `npm prune` remove what no production dependency of those reaches (offline: it only deletes),
// and copies into OUT the root package.json and node_modules plus, for each of those workspaces,
// its package.json and node_modules, the JavaScript of dist/src and its asset folders (such as
// the notification service's templates/).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { assetFolders, readJson, runtimeWorkspaces } from './workspaces.js';

const [workspace, out] = process.argv.slice(2);
if (!workspace || !out) {
  console.error('usage: node images/service/assemble.js WORKSPACE OUT');
  process.exit(2);
}

const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
const needed = runtimeWorkspaces(normalize(workspace));

const root = readJson('package.json');
delete root.devDependencies;
root.workspaces = needed;
writeJson('package.json', root);
for (const folder of needed) {
  const manifest = readJson(join(folder, 'package.json'));
  delete manifest.devDependencies;
  writeJson(join(folder, 'package.json'), manifest);
}
execFileSync('npm', ['prune', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
  stdio: 'inherit',
});
// npm prune leaves the scope folders it emptied behind.
for (const entry of readdirSync('node_modules', { withFileTypes: true })) {
  const scope = join('node_modules', entry.name);
  if (entry.isDirectory() && entry.name.startsWith('@') && readdirSync(scope).length === 0) rmdirSync(scope);
}

const tree = { recursive: true, verbatimSymlinks: true };
const javascript = (source) => !/\.(ts|tsbuildinfo)$/.test(source) && !source.endsWith('.d.ts.map');
mkdirSync(out, { recursive: true });
cpSync('package.json', join(out, 'package.json'));
cpSync('node_modules', join(out, 'node_modules'), tree);
for (const folder of needed) {
  cpSync(join(folder, 'package.json'), join(out, folder, 'package.json'));
  cpSync(join(folder, 'dist', 'src'), join(out, folder, 'dist', 'src'), { recursive: true, filter: javascript });
  if (existsSync(join(folder, 'node_modules'))) cpSync(join(folder, 'node_modules'), join(out, folder, 'node_modules'), tree);
  for (const assets of assetFolders(folder)) cpSync(assets, join(out, assets), tree);
}
console.log(`assembled ${needed.join(', ')} into ${out}`);
