import type { ServiceName } from '@msa/contracts';
import { PLATFORM_TIMEOUT_MS, startPlatform, type TestPlatform } from '../support/platform.js';
import { fuzzOpenApi } from '../support/schemathesis.js';
import { signUp, type Customer } from '../support/shop.js';

const SERVICES: readonly ServiceName[] = ['user', 'product', 'inventory', 'payment', 'order', 'notification'];

// Time one service's run may take on a loaded machine, after which it is stopped: its examples bound it, this only a hung run.
const FUZZ_TIMEOUT_MS = 240_000;

// schemathesis calls every operation of each service's /openapi.json with the cases its document
// allows and many it does not, as the admin (whose token opens every guarded route), and holds each
// answer to the document: no 5xx, only documented statuses and media types, bodies of their
// schemas, and every 4xx an RFC 9457 problem.
describe('every service under the fuzzer of its own OpenAPI document', () => {
  let platform: TestPlatform;
  let admin: Customer;

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await signUp(platform, platform.adminEmail, 'Admin');
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  it.each(SERVICES)(
    'given the %s service, when schemathesis fuzzes its document, then every answer is documented, of its schema, no 5xx, and every 4xx a problem',
    async (name) => {
      const url = await platform.serve(name);
      const run = await fuzzOpenApi({ schemaUrl: `${url}/openapi.json`, headers: { Authorization: admin.bearer }, timeoutMs: FUZZ_TIMEOUT_MS });
      if (run.exitCode !== 0) throw new Error(`schemathesis found failures in the ${name} service (exit ${String(run.exitCode)}):\n${run.output}`);
    },
    FUZZ_TIMEOUT_MS + 10_000,
  );
});
