import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '@msa/local';
import type { ChartFile } from './templatize.js';

/** The chart in the repository: Chart.yaml, templates/_helpers.tpl and README.md by hand, the rest generated. */
export const CHART_DIR = join(repoRoot, 'charts', 'msa-ecommerce');

const HAND_WRITTEN = ['Chart.yaml', 'README.md', '.helmignore', 'templates/_helpers.tpl'];

/** Paths (relative to the chart) of the generated files a chart directory holds now. */
export function generatedPaths(dir: string): string[] {
  const walk = (relative: string): string[] =>
    readdirSync(join(dir, relative), { withFileTypes: true }).flatMap((entry) => {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      return entry.isDirectory() ? walk(path) : [path];
    });
  return walk('').filter((path) => !HAND_WRITTEN.includes(path) && !path.startsWith('values-'));
}

/** Replaces the generated files of the chart in `dir` by `files`; the hand-written ones stay. */
export function writeChart(dir: string, files: readonly ChartFile[]): void {
  for (const path of generatedPaths(dir)) rmSync(join(dir, path));
  rmSync(join(dir, 'files'), { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
}

/** A copy of the chart's hand-written files in `dir`, for a chart generated from other objects. */
export function copyHandWritten(dir: string): void {
  for (const path of ['Chart.yaml', 'templates/_helpers.tpl']) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(CHART_DIR, path), join(dir, path));
  }
}
