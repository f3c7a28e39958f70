import { runService } from '@msa/platform';
import { orderService } from './app.js';

await runService(orderService());
