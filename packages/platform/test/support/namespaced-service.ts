import { z } from 'zod';
import { runService, serviceVariables } from '../../src/index.js';

// A service of one consumer run as its own process by the namespace spec: `node` runs its build
// with the environment the spec gives, as a service's main.ts runs. Each password change it
// consumes is one JSON line on stdout.
const schema = z.object(serviceVariables({ port: 0, database: 'namespaced' }));

await runService({
  name: 'namespaced',
  version: '0.0.1',
  config: schema,
  build: () => ({
    routes: [],
    consumers: [
      {
        group: 'user.sessions',
        handlers: {
          UserPasswordChanged: (event) => {
            process.stdout.write(`${JSON.stringify({ consumed: event.eventId })}\n`);
            return Promise.resolve();
          },
        },
      },
    ],
  }),
});
