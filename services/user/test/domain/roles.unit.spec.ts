import { roleAtRegistration } from '../../src/domain/roles.js';

describe('Role at registration', () => {
  const admins = ['ops@example.com', 'Root@Example.com'];

  it('given an address on the admin list, when it registers, then it becomes admin', () => {
    expect(roleAtRegistration('ops@example.com', admins)).toBe('admin');
  });

  it('given an admin address typed in another case, when it registers, then it still becomes admin', () => {
    expect(roleAtRegistration('root@example.COM', admins)).toBe('admin');
  });

  it('given any other address, when it registers, then it is a customer', () => {
    expect(roleAtRegistration('kim@example.com', admins)).toBe('customer');
  });

  it('given an empty admin list, when anyone registers, then they are a customer', () => {
    expect(roleAtRegistration('ops@example.com', [])).toBe('customer');
  });
});
