import { issuedBeforePasswordChange } from '../../src/domain/sessions.js';

const changedAt = new Date('2025-03-01T09:30:00.700Z');
const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('Tokens and password changes', () => {
  it('given a token issued the second before the change, when checked, then it predates the change', () => {
    expect(issuedBeforePasswordChange(seconds('2025-03-01T09:29:59Z'), changedAt)).toBe(true);
  });

  it('given a token issued in the second of the change, when checked, then it still counts, as the fresh token must', () => {
    expect(issuedBeforePasswordChange(seconds('2025-03-01T09:30:00Z'), changedAt)).toBe(false);
  });

  it('given a token issued after the change, when checked, then it is valid', () => {
    expect(issuedBeforePasswordChange(seconds('2025-03-01T09:30:01Z'), changedAt)).toBe(false);
  });
});
