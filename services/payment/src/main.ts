import { runService } from '@msa/platform';
import { paymentService } from './app.js';

await runService(paymentService());
