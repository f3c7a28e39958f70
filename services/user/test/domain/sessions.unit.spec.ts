import { issuedBeforePasswordChange } from '../../src/domain/sessions.js';

const changedAt = new Date('2025-03-01T09:30:00.700Z');

describe('Tokens and password changes', () => {
  it('given a token issued a millisecond before the change, in the same second, when checked, then it predates the change', () => {
    expect(issuedBeforePasswordChange(Date.parse('2025-03-01T09:30:00.699Z'), changedAt)).toBe(true);
  });

  it('given a token issued at the instant of the change, when checked, then it is valid', () => {
    expect(issuedBeforePasswordChange(Date.parse('2025-03-01T09:30:00.700Z'), changedAt)).toBe(false);
  });

  it('given a token issued after the change, in the same second, when checked, then it is valid, as the fresh token must be', () => {
    expect(issuedBeforePasswordChange(Date.parse('2025-03-01T09:30:00.701Z'), changedAt)).toBe(false);
  });
});
