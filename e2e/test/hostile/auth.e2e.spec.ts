import { randomUUID } from 'node:crypto';
import { eventually } from '@msa/local';
import { createTokenIssuer, generateSigningKey, type Principal } from '@msa/platform';
import type { Response } from 'supertest';
import { FLOW_TIMEOUT_MS, PLATFORM_TIMEOUT_MS, startPlatform, type TestPlatform } from '../support/platform.js';
import { orderOf, paymentsOf, placeOrder, signUp, stockedProduct, terminalOrder, type Customer } from '../support/shop.js';

/** The claims of a token the user service signed, read without verifying it. */
interface Claims {
  readonly sub: string;
  readonly email: string;
  readonly roles: Principal['roles'];
  readonly iss: string;
  readonly aud: string;
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const tokenOf = (customer: Customer): string => customer.bearer.slice('Bearer '.length);

function claimsOf(customer: Customer): Claims {
  const [, payload = ''] = tokenOf(customer).split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
}

/** A request to one service: its name on the platform, the method and the path. */
type Guarded = readonly ['user' | 'product' | 'inventory' | 'payment' | 'order' | 'notification', 'get' | 'post', string];

/** What each service guards, as one request each: every one needs a verified token. */
const GUARDED: readonly Guarded[] = [
  ['user', 'get', '/api/users/me'],
  ['product', 'post', '/api/categories'],
  ['inventory', 'post', `/api/inventory/${randomUUID()}/restock`],
  ['payment', 'get', `/api/payments?orderId=${randomUUID()}`],
  ['order', 'get', '/api/orders'],
  ['notification', 'get', '/api/notifications'],
];

/** Sends one guarded request with `authorization` (none when undefined). */
function send(platform: TestPlatform, [service, method, path]: Guarded, authorization: string | undefined) {
  const call = platform[service][method](path);
  return authorization === undefined ? call.send({}) : call.set('authorization', authorization).send({});
}

/** A refusal as the kit sends it: the status, an RFC 9457 problem of that status, and nothing in it from the token. */
function expectRefused(res: Response, status: 401 | 403 | 404, secrets: readonly string[]): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.any(String) as unknown, title: expect.any(String) as unknown, status });
  for (const secret of secrets) expect(res.text).not.toContain(secret);
}

// Hostile callers against every service's guard, and one customer reaching for another's orders,
// payments and notifications: each is refused with a problem that names nothing of the token or of
// the other customer.
describe('hostile callers against the platform guards', () => {
  let platform: TestPlatform;
  let admin: Customer;
  let victim: Customer;
  let intruder: Customer;
  let victimClaims: Claims;

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await signUp(platform, platform.adminEmail, 'Admin');
    victim = await signUp(platform, `victim-${randomUUID()}@e2e.example`, 'Victoria Victim');
    intruder = await signUp(platform, `intruder-${randomUUID()}@e2e.example`, 'Ivan Intruder');
    victimClaims = claimsOf(victim);
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  describe.each(GUARDED)('the %s service guard on %s %s', (...guarded) => {
    it('given no token, when called, then 401 with a Bearer challenge', async () => {
      const res = await send(platform, guarded, undefined);

      expectRefused(res, 401, []);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('given a token that expired an hour ago, when called, then 401 naming none of its claims', async () => {
      const { iss, aud } = victimClaims;
      const stale = await createTokenIssuer({ privateJwk: platform.signingKey, issuer: iss, audience: aud, ttlMs: 60_000, now: () => new Date(Date.now() - 3_600_000) });
      const { token } = await stale.issue({ userId: victimClaims.sub, email: victimClaims.email, roles: victimClaims.roles });

      expectRefused(await send(platform, guarded, `Bearer ${token}`), 401, [token, victim.email, victimClaims.sub]);
    });

    it("given a customer's token whose payload was changed to make them admin, when called, then 401", async () => {
      const [header = '', , signature = ''] = tokenOf(victim).split('.');
      const forged = `${header}.${base64url({ ...victimClaims, roles: ['customer', 'admin'] })}.${signature}`;

      expectRefused(await send(platform, guarded, `Bearer ${forged}`), 401, [forged, victim.email, victimClaims.sub]);
    });

    it("given a token signed by a foreign key under the platform key's kid, when called, then 401", async () => {
      const foreignKey = await generateSigningKey({ kid: platform.signingKey.kid });
      const { iss, aud } = victimClaims;
      const foreign = await createTokenIssuer({ privateJwk: foreignKey, issuer: iss, audience: aud, ttlMs: 60_000 });
      const { token } = await foreign.issue({ userId: victimClaims.sub, email: victimClaims.email, roles: ['customer', 'admin'] });

      expectRefused(await send(platform, guarded, `Bearer ${token}`), 401, [token, victim.email, victimClaims.sub]);
    });

    it('given an unsigned token (alg: none) claiming admin, when called, then 401', async () => {
      const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...victimClaims, roles: ['customer', 'admin'] })}.`;

      expectRefused(await send(platform, guarded, `Bearer ${unsigned}`), 401, [unsigned, victim.email, victimClaims.sub]);
    });
  });

  describe("a customer reaching for another customer's data", () => {
    let orderId: string;
    let victimSecrets: string[];

    beforeAll(async () => {
      const productId = await stockedProduct(platform, admin, 5);
      const placed = await placeOrder(platform, victim, orderOf(productId, 1));
      orderId = placed.orderId;
      // The victim's payment and welcome notification exist before anyone reaches for them.
      const payments = await eventually(async () => {
        const listed = await paymentsOf(platform, victim, orderId);
        return listed.length > 0 ? listed : undefined;
      }, 60_000);
      await eventually(async () => {
        const history = await platform.notification.get(`/api/notifications?userId=${victimClaims.sub}`).set('authorization', admin.bearer).expect(200);
        return (history.body as { items: unknown[] }).items.length > 0 ? true : undefined;
      }, 60_000);
      victimSecrets = [victim.email, victimClaims.sub, 'Victoria', productId, ...payments.map(({ paymentId }) => paymentId)];
    }, FLOW_TIMEOUT_MS);

    it("given another customer's order, when the intruder reads it, then 404 as for an order that does not exist, naming nothing of it", async () => {
      const res = await platform.order.get(`/api/orders/${orderId}`).set('authorization', intruder.bearer);

      expectRefused(res, 404, victimSecrets);
      const missing = await platform.order.get(`/api/orders/${randomUUID()}`).set('authorization', intruder.bearer);
      expect((res.body as { detail: string }).detail.replace(orderId, 'ID')).toBe((missing.body as { detail: string }).detail.replace(/[0-9a-f-]{36}/, 'ID'));
    });

    it("given another customer's orders, when the intruder lists them by user id, then 403 naming nothing of them", async () => {
      const res = await platform.order.get(`/api/orders?userId=${victimClaims.sub}`).set('authorization', intruder.bearer);

      expectRefused(res, 403, victimSecrets.filter((secret) => secret !== victimClaims.sub));
      expect(res.text).not.toContain(victim.email);
    });

    it(
      "given another customer's order, when the intruder cancels it, then 404 and the order goes on to complete",
      async () => {
        const res = await platform.order.post(`/api/orders/${orderId}/cancel`).set('authorization', intruder.bearer);

        expectRefused(res, 404, victimSecrets);
        expect((await terminalOrder(platform, victim, orderId)).status).toBe('COMPLETED');
      },
      FLOW_TIMEOUT_MS,
    );

    it("given another customer's paid order, when the intruder reads its payments, then 403 naming none of them", async () => {
      const res = await platform.payment.get(`/api/payments?orderId=${orderId}`).set('authorization', intruder.bearer);

      expectRefused(res, 403, victimSecrets);
    });

    it("given another customer's notifications, when the intruder reads them by user id, then 403 naming none of them", async () => {
      const res = await platform.notification.get(`/api/notifications?userId=${victimClaims.sub}`).set('authorization', intruder.bearer);

      expectRefused(res, 403, victimSecrets.filter((secret) => secret !== victimClaims.sub));
      expect(res.text).not.toContain(victim.email);
    });
  });
});
