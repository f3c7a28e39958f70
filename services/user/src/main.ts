import { runService } from '@msa/platform';
import { userService } from './app.js';

await runService(userService());
