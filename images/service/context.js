// Prints, one a line, the paths of the repository that the image of WORKSPACE is built from:
//   node images/service/context.js WORKSPACE
// The root manifests, the patches their install applies, and compiler settings, every workspace's package.json (npm installs the
// whole lock file), what `tsc -b WORKSPACE` compiles (the tsconfig.json and included folders of
// the workspace and, transitively, of the projects it references), the asset folders of the
// workspaces the program runs with, and the image's own recipe. local/lib/images.sh hashes the
// files under these paths to tag the image and copies them into its build context.
import { join, normalize } from 'node:path';
import { assetFolders, readJson, runtimeWorkspaces, workspaceFolders } from './workspaces.js';

const [workspace] = process.argv.slice(2);
if (!workspace) {
  console.error('usage: node images/service/context.js WORKSPACE');
  process.exit(2);
}

const paths = new Set(['package.json', 'package-lock.json', 'patches', 'tsconfig.base.json', 'images/service']);
for (const folder of workspaceFolders().values()) paths.add(join(folder, 'package.json'));

const projects = new Set();
const visit = (project) => {
  if (projects.has(project)) return;
  projects.add(project);
  const tsconfig = readJson(join(project, 'tsconfig.json'));
  paths.add(join(project, 'tsconfig.json'));
  for (const included of tsconfig.include ?? []) paths.add(join(project, included));
  for (const reference of tsconfig.references ?? []) visit(normalize(join(project, reference.path)));
};
visit(normalize(workspace));
for (const folder of runtimeWorkspaces(normalize(workspace))) {
  for (const assets of assetFolders(folder)) paths.add(assets);
}

console.log([...paths].sort().join('\n'));
