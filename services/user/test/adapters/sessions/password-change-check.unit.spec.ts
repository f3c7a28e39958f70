import { randomUUID } from 'node:crypto';
import { passwordChangeCheck } from '../../../src/adapters/sessions/password-change-check.js';

describe("The user service's revocation check", () => {
  const userId = randomUUID();
  const changedAt = new Date('2025-03-01T09:30:00.700Z');
  const asked: string[] = [];
  const check = passwordChangeCheck({
    passwordChangedAt: (id) => {
      asked.push(id);
      return Promise.resolve(id === userId ? changedAt : undefined);
    },
  });

  it('given a token issued before the change, when checked, then it is revoked, looked up by its user', async () => {
    await expect(check(userId, changedAt.getTime() - 1)).resolves.toBe(true);
    expect(asked.at(-1)).toBe(userId);
  });

  it('given a token issued after the change, when checked, then it is not revoked', async () => {
    await expect(check(userId, changedAt.getTime() + 1)).resolves.toBe(false);
  });

  it('given a user who never changed their password, when an old token is checked, then it is not revoked', async () => {
    await expect(check(randomUUID(), 0)).resolves.toBe(false);
  });
});
