import type { Money } from '@msa/contracts';
import { MixedCurrencies, RepeatedProduct, UnknownProduct } from './errors.js';
import type { OrderLine } from './order.js';

/** A line as the customer asks for it. */
export interface RequestedLine {
  readonly productId: string;
  readonly quantity: number;
}

/** A product as the order service's price list holds it. */
export interface ListedPrice {
  readonly productId: string;
  readonly price: Money;
  readonly active: boolean;
}

/**
 * Prices the requested lines from the price list: every line names a listed, active product, once,
 * and all are in one currency. Each refusal names its line.
 *
 * @throws RepeatedProduct, UnknownProduct, MixedCurrencies.
 */
export function priceLines(lines: readonly RequestedLine[], listed: ReadonlyMap<string, ListedPrice>): OrderLine[] {
  const seen = new Set<string>();
  return lines.map(({ productId, quantity }, line) => {
    if (seen.has(productId)) throw new RepeatedProduct(line, productId);
    seen.add(productId);
    const entry = listed.get(productId);
    if (entry === undefined) throw new UnknownProduct(line, productId, 'unknown');
    if (!entry.active) throw new UnknownProduct(line, productId, 'inactive');
    const first = listed.get(lines[0]?.productId ?? '')?.price.currency ?? entry.price.currency;
    if (entry.price.currency !== first) throw new MixedCurrencies(line, entry.price.currency, first);
    return { productId, quantity, unitPrice: entry.price };
  });
}

/** A line's price times its quantity. */
export function lineTotal({ unitPrice, quantity }: OrderLine): Money {
  return { amountMinor: unitPrice.amountMinor * quantity, currency: unitPrice.currency };
}

/** The sum of the lines, in their one currency. */
export function orderTotal(lines: readonly [OrderLine, ...OrderLine[]]): Money {
  return { amountMinor: lines.reduce((sum, line) => sum + lineTotal(line).amountMinor, 0), currency: lines[0].unitPrice.currency };
}
