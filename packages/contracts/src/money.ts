import { z } from 'zod';

// Intl knows every ISO 4217 code and its minor-unit digits (JPY 0, USD 2, BHD 3), so neither list
// is kept by hand here.
const knownCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code, such as `KRW` or `USD`. */
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an upper-case ISO 4217 code')
  .refine((code) => knownCurrencies.has(code), 'must be a known ISO 4217 currency');

/** An ISO 4217 currency code. */
export type Currency = z.infer<typeof Currency>;

/**
 * An amount of money: an integer count of the currency's minor unit (cents for USD, won for KRW)
 * and its currency. Never a float, so sums and comparisons are exact.
 */
export const Money = z.object({
  amountMinor: z.int().nonnegative(),
  currency: Currency,
});

/** An amount of money in integer minor units. */
export type Money = z.infer<typeof Money>;

// Building an Intl.NumberFormat costs tens of microseconds, and every amount a service renders asks
// this, so each currency's answer is worked out once. At most the ~300 codes Intl knows.
const digitsByCurrency = new Map<string, number>();

/** How many decimal digits the currency's minor unit has (2 for USD, 0 for KRW). */
export function minorUnitDigits(currency: Currency): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 0;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

const decimalPattern = /^(?<whole>0|[1-9]\d*)(?:\.(?<fraction>\d+))?$/;

/**
 * A zod schema reading a non-negative decimal string (`"59900"`, `"12.50"`) as exact minor units of
 * `currency`. Digits beyond the currency's precision are accepted only when they are zeros, since
 * anything else cannot be represented without rounding.
 */
export function decimalAmount(currency: Currency): z.ZodType<Money, string> {
  const digits = minorUnitDigits(currency);
  return z.string().transform((text, ctx): Money => {
    const groups = decimalPattern.exec(text)?.groups;
    if (groups?.whole === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a non-negative decimal number, got "${text}"` });
      return z.NEVER;
    }
    const fraction = groups.fraction ?? '';
    if (/[^0]/.test(fraction.slice(digits))) {
      ctx.addIssue({ code: 'custom', message: `has more than ${digits} decimal places for ${currency}` });
      return z.NEVER;
    }
    const minor = BigInt(groups.whole + fraction.slice(0, digits).padEnd(digits, '0'));
    if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
      ctx.addIssue({ code: 'custom', message: 'is too large to count in minor units exactly' });
      return z.NEVER;
    }
    return { amountMinor: Number(minor), currency };
  });
}
