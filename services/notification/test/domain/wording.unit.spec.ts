import { formatAmount } from '../../src/domain/wording.js';

describe('amounts in words', () => {
  it.each([
    [{ amountMinor: 91_800, currency: 'KRW' }, '₩91,800'],
    [{ amountMinor: 1_250, currency: 'USD' }, '$12.50'],
    [{ amountMinor: 5, currency: 'USD' }, '$0.05'],
    [{ amountMinor: 1_000, currency: 'JPY' }, '¥1,000'],
    [{ amountMinor: 12_345, currency: 'BHD' }, 'BHD 12.345'],
  ])('given %j, when formatted, then %s', (money, expected) => {
    expect(formatAmount(money).replace(/\u00a0/g, ' ')).toBe(expected);
  });
});
