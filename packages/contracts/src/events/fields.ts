import { z } from 'zod';

/** A generated identifier. */
export const id = z.uuid();

/** A count of units: a positive integer. */
export const quantity = z.int().positive();

/** An email address. */
export const email = z.email().max(254);

/** A phone number in E.164 form, such as `+821012345678`. */
export const phoneNumber = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number like +821012345678');

/**
 * Human-readable text of bounded length, not blank, without NUL: PostgreSQL stores no NUL character
 * in text or jsonb, so an event holding one could never be appended (a category named with one was a 500).
 */
export function text(max: number): z.ZodString {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character');
}

/** A product and how many units of it, as ordered, reserved or released. */
const stockLine = z.object({ productId: id, quantity });

const namesEachProductOnce = (lines: readonly { productId: string }[]): boolean =>
  new Set(lines.map((l) => l.productId)).size === lines.length;

/** Lines naming each product at most once, so every consumer counts a product once. */
export const stockLines = z.array(stockLine).min(1).refine(namesEachProductOnce, 'must name each product at most once');

/** Like {@link stockLines}, but may be empty: what an order held when it may have held nothing. */
export const stockLinesOrNone = z.array(stockLine).refine(namesEachProductOnce, 'must name each product at most once');
