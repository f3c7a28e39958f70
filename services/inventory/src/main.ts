import { runService } from '@msa/platform';
import { inventoryService } from './app.js';

await runService(inventoryService());
