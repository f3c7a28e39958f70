import { runService } from '@msa/platform';
import { productService } from './app.js';

await runService(productService());
