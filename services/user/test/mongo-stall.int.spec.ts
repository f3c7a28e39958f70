import { localServers, startStallingProxy, within, type StallingProxy } from '@msa/local';
import { eventually, SERVER_TEST_TIMEOUT_MS, startUserService, type TestService } from './support/service.js';

const MONGO_TIMEOUT_MS = 1_000;
/** Longer than any bounded failure can take, far shorter than the test's own timeout. */
const HANGING_MS = 15_000;


describe('User service whose MongoDB-wire server stalls', () => {
  let proxy: StallingProxy;
  let service: TestService;
  const api = () => service.api();

  beforeAll(async () => {
    const mongo = new URL(localServers().mongoUrl);
    proxy = await startStallingProxy(mongo.hostname, Number(mongo.port));
    service = await startUserService({
      mongoUrl: `mongodb://127.0.0.1:${proxy.port}/`,
      environment: { MONGO_TIMEOUT: `${MONGO_TIMEOUT_MS}ms` },
    });
  }, SERVER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    // Closing the proxy first fails what still waits on it at once, so the service can stop.
    await proxy.close();
    await service.close();
  }, SERVER_TEST_TIMEOUT_MS);

  it('given a stalled server, when a profile is read, then the request fails within the bound instead of hanging', async () => {
    const token = await service.registerAndLogIn('stall@example.com', 'Stall');
    const me = () => api().get('/api/users/me').set('authorization', `Bearer ${token}`);
    await eventually(async () => ((await me()).status === 200 ? true : undefined));

    proxy.freeze();
    const res = await within(HANGING_MS, me());

    expect(res.status).toBeGreaterThanOrEqual(500);
  }, SERVER_TEST_TIMEOUT_MS);
});
