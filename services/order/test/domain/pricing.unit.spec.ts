import { MixedCurrencies, RepeatedProduct, UnknownProduct } from '../../src/domain/errors.js';
import { type ListedPrice, lineTotal, orderTotal, priceLines } from '../../src/domain/pricing.js';
import { kettle, teapot } from './fixtures.js';

const cup = 'c5dd3a10-ad1b-4aaa-9b34-ce06a8765224';
const listed = new Map<string, ListedPrice>([
  [kettle, { productId: kettle, price: { amountMinor: 3_990, currency: 'EUR' }, active: true }],
  [teapot, { productId: teapot, price: { amountMinor: 2_500, currency: 'EUR' }, active: true }],
  [cup, { productId: cup, price: { amountMinor: 9_000, currency: 'KRW' }, active: true }],
]);

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('the lines were priced');
}

describe('Pricing an order from the price list', () => {
  it('given listed active products, when priced, then each line carries its unit price and the total sums the lines', () => {
    const priced = priceLines([{ productId: kettle, quantity: 2 }, { productId: teapot, quantity: 1 }], listed);

    expect(priced).toEqual([
      { productId: kettle, quantity: 2, unitPrice: { amountMinor: 3_990, currency: 'EUR' } },
      { productId: teapot, quantity: 1, unitPrice: { amountMinor: 2_500, currency: 'EUR' } },
    ]);
    expect(priced.map(lineTotal)).toEqual([{ amountMinor: 7_980, currency: 'EUR' }, { amountMinor: 2_500, currency: 'EUR' }]);
    const [first, ...rest] = priced;
    expect(first && orderTotal([first, ...rest])).toEqual({ amountMinor: 10_480, currency: 'EUR' });
  });

  it('given a product the price list does not hold, when priced, then UnknownProduct names its line', () => {
    const error = refusal(() => priceLines([{ productId: kettle, quantity: 1 }, { productId: 'd6ee4b21-be2c-4bbb-8c45-df17b9876335', quantity: 1 }], listed));

    expect(error).toBeInstanceOf(UnknownProduct);
    expect(error).toMatchObject({ fields: [{ field: 'items[1].productId', message: 'names no product for sale' }] });
  });

  it('given an inactive product, when priced, then UnknownProduct names its line as not for sale', () => {
    const inactive = new Map(listed).set(kettle, { productId: kettle, price: { amountMinor: 3_990, currency: 'EUR' }, active: false });

    expect(refusal(() => priceLines([{ productId: kettle, quantity: 1 }], inactive))).toMatchObject({
      fields: [{ field: 'items[0].productId', message: 'names a product that is not for sale' }],
    });
  });

  it('given lines in two currencies, when priced, then MixedCurrencies names the first line in the other currency', () => {
    const error = refusal(() => priceLines([{ productId: kettle, quantity: 1 }, { productId: teapot, quantity: 1 }, { productId: cup, quantity: 1 }], listed));

    expect(error).toBeInstanceOf(MixedCurrencies);
    expect(error).toMatchObject({ fields: [{ field: 'items[2].productId', message: "is priced in KRW, not in the order's EUR" }] });
  });

  it('given one product on two lines, when priced, then RepeatedProduct names the later line', () => {
    const error = refusal(() => priceLines([{ productId: kettle, quantity: 1 }, { productId: kettle, quantity: 2 }], listed));

    expect(error).toBeInstanceOf(RepeatedProduct);
    expect(error).toMatchObject({ fields: [{ field: 'items[1].productId' }] });
  });
});
