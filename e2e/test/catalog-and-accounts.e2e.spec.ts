import { randomUUID } from 'node:crypto';
import { eventually, mailpitClient } from '@msa/local';
import { FLOW_TIMEOUT_MS, PLATFORM_TIMEOUT_MS, startPlatform, type TestPlatform } from './support/platform.js';

const PASSWORD = 'correct horse battery staple';
const mailpit = mailpitClient();

/** Signs `email` up on the user service and logs in: the bearer header of its token. */
async function signUp(platform: TestPlatform, email: string, name: string): Promise<string> {
  await platform.user.post('/api/users').send({ email, password: PASSWORD, name }).expect(201);
  const login = await platform.user.post('/api/users/login').send({ email, password: PASSWORD }).expect(200);
  return `Bearer ${(login.body as { accessToken: string }).accessToken}`;
}

// The README's first steps, across the services as `npm start` runs them: the user service's tokens
// open the product service's admin routes, and a sign-up's welcome mail reaches Mailpit once.
describe('the platform from sign-up to catalog', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  }, PLATFORM_TIMEOUT_MS);

  afterAll(async () => {
    await platform.close();
  }, PLATFORM_TIMEOUT_MS);

  it(
    'given the admin signed up on the user service, when its token creates a category and a product on the product service, then shoppers find the product',
    async () => {
      const admin = await signUp(platform, platform.adminEmail, 'Admin');
      const word = `kettle${randomUUID().slice(0, 8)}`;

      const category = await platform.product.post('/api/categories').set('authorization', admin).send({ name: 'Kitchen' }).expect(201);
      const created = await platform.product
        .post('/api/products')
        .set('authorization', admin)
        .send({
          sku: `KET-${word}`,
          name: `Stovetop ${word}`,
          description: 'Enamelled steel, 1.5 l',
          categoryId: (category.body as { id: string }).id,
          price: { amountMinor: 3990, currency: 'EUR' },
        })
        .expect(201);

      const listed = await eventually(async () => {
        const page = await platform.product.get(`/api/products?q=${word}`).expect(200);
        const items = (page.body as { items: { id: string; category: { name?: string } }[] }).items;
        return items.length === 0 ? undefined : items;
      });
      expect(listed.map(({ id }) => id)).toEqual([(created.body as { id: string }).id]);
      expect(listed[0]?.category.name).toBe('Kitchen');
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    "given a customer's token from the user service, when it creates a category, then the product service refuses it as not an admin's",
    async () => {
      const customer = await signUp(platform, `shopper-${randomUUID()}@e2e.example`, 'Shopper');

      const refused = await platform.product.post('/api/categories').set('authorization', customer).send({ name: 'Garden' });

      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    'given a customer signs up, when the notification service sees the registration, then exactly one welcome mail reaches Mailpit and the history shows it sent',
    async () => {
      const email = `ada-${randomUUID()}@e2e.example`;
      const customer = await signUp(platform, email, 'Ada');

      const mail = await mailpit.awaitMessage(email, 30_000);
      const history = await eventually(async () => {
        const page = await platform.notification.get('/api/notifications').set('authorization', customer).expect(200);
        const items = (page.body as { items: { template: string; status: string }[] }).items;
        return items.length > 0 && items.every(({ status }) => status === 'sent') ? items : undefined;
      });
      // Another moment for a second copy to show, had one been sent.
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      expect(mail.subject).toBe('Welcome to the shop');
      expect(mail.text).toContain('Ada');
      expect(await mailpit.messages({ to: email })).toHaveLength(1);
      expect(history.map(({ template, status }) => [template, status])).toEqual([['welcome-email', 'sent']]);
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    "given a customer changed their password on the user service, when their older token asks the notification service, then it is refused there too while the new one works",
    async () => {
      const email = `grace-${randomUUID()}@e2e.example`;
      const before = await signUp(platform, email, 'Grace');

      const changed = await platform.user
        .post('/api/users/me/password')
        .set('authorization', before)
        .send({ currentPassword: PASSWORD, newPassword: 'an entirely different passphrase' })
        .expect(200);
      const after = `Bearer ${(changed.body as { accessToken: string }).accessToken}`;

      // The revocation travels through the user service's own topic and Redis to every service.
      const refused = await eventually(async () => {
        const answer = await platform.notification.get('/api/notifications').set('authorization', before);
        return answer.status === 401 ? answer : undefined;
      });
      expect(refused.headers['content-type']).toContain('application/problem+json');
      await platform.notification.get('/api/notifications').set('authorization', after).expect(200);
    },
    FLOW_TIMEOUT_MS,
  );
});
