import { relative } from 'node:path';
import { repoRoot } from '@msa/local';
import { chartFiles } from './generate.js';
import { kindProfileObjects } from './source.js';
import { CHART_DIR, writeChart } from './write.js';

// `npm run chart -w delivery`: regenerates charts/msa-ecommerce from the cdk8s app's kind profile.
const files = chartFiles(kindProfileObjects());
writeChart(CHART_DIR, files);
console.log(`${relative(repoRoot, CHART_DIR)}: ${files.length} generated files written`);
