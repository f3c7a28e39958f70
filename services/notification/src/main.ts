import { runService } from '@msa/platform';
import { notificationService } from './app.js';

await runService(notificationService());
