import { Money, decimalAmount, minorUnitDigits } from '../src/index.js';

describe('Money', () => {
  it('given an integer amount of a known currency, when parsed, then it is accepted', () => {
    expect(Money.parse({ amountMinor: 1250, currency: 'USD' })).toEqual({ amountMinor: 1250, currency: 'USD' });
  });

  it.each([
    ['a float', { amountMinor: 12.5, currency: 'USD' }, 'amountMinor'],
    ['a negative amount', { amountMinor: -1, currency: 'USD' }, 'amountMinor'],
    ['an unsafe integer', { amountMinor: 2 ** 53, currency: 'USD' }, 'amountMinor'],
    ['a decimal string', { amountMinor: '12.50', currency: 'USD' }, 'amountMinor'],
    ['a lower-case code', { amountMinor: 1, currency: 'usd' }, 'currency'],
    ['an unknown code', { amountMinor: 1, currency: 'ABC' }, 'currency'],
  ])('given %s, when parsed, then the field is rejected', (_, input, field) => {
    const result = Money.safeParse(input);

    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});

describe('decimalAmount', () => {
  it.each([
    ['USD', '12.50', 1250],
    ['USD', '12.5', 1250],
    ['USD', '12.500', 1250],
    ['USD', '0', 0],
    ['KRW', '59900', 59_900],
    ['JPY', '100.00', 100],
    ['BHD', '1.234', 1234],
  ])('given %s %p, when read, then it is %p minor units exactly', (currency, text, amountMinor) => {
    expect(decimalAmount(currency).parse(text)).toEqual({ amountMinor, currency });
  });

  it.each([['12.505'], ['-1'], ['1e3'], ['12.'], ['.5'], [' 12'], ['99999999999999999']])(
    'given USD %p, when read, then it is rejected rather than rounded',
    (text) => {
      expect(decimalAmount('USD').safeParse(text).success).toBe(false);
    },
  );

  it('given currencies with different minor units, when asked, then ISO 4217 digits are returned', () => {
    expect([minorUnitDigits('KRW'), minorUnitDigits('USD'), minorUnitDigits('BHD')]).toEqual([0, 2, 3]);
  });
});
