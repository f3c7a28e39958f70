// What images/service/context.js and assemble.js both need to know about the monorepo's
// workspaces, read from the root package.json and each workspace's own.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Workspace folders by package name, from the root's workspace patterns (`dir` or `dir/*`). */
export function workspaceFolders() {
  const folders = new Map();
  for (const pattern of readJson('package.json').workspaces) {
    const candidates = pattern.endsWith('/*')
      ? readdirSync(pattern.slice(0, -2), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(pattern.slice(0, -2), entry.name))
      : [pattern];
    for (const folder of candidates) {
      if (existsSync(join(folder, 'package.json'))) folders.set(readJson(join(folder, 'package.json')).name, folder);
    }
  }
  return folders;
}

/** The workspace and, transitively, the workspaces among its production dependencies. */
export function runtimeWorkspaces(workspace) {
  const folders = workspaceFolders();
  if (![...folders.values()].includes(workspace)) throw new Error(`${workspace} is not a workspace of this repository`);
  const needed = [];
  const visit = (folder) => {
    if (needed.includes(folder)) return;
    needed.push(folder);
    for (const name of Object.keys(readJson(join(folder, 'package.json')).dependencies ?? {})) {
      const dependency = folders.get(name);
      if (dependency) visit(dependency);
    }
  };
  visit(workspace);
  return needed;
}

const notAssets = new Set(['src', 'test', 'scripts', 'dist', 'node_modules']);

/** Folders a workspace reads at run time: its top-level folders but sources, tests, scripts and output. */
export function assetFolders(workspace) {
  return readdirSync(workspace, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !notAssets.has(entry.name))
    .map((entry) => join(workspace, entry.name));
}
