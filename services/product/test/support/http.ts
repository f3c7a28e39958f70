import type { Problem } from '@msa/platform';
import type request from 'supertest';

/** A product as the API returns it. */
export interface ProductBody {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly category: { readonly id: string; readonly name?: string };
  readonly price: { readonly amountMinor: number; readonly currency: string; readonly amount: string };
  readonly active: boolean;
  readonly version: number;
}

/** A listing page as the API returns it. */
export interface ProductPageBody {
  readonly items: readonly ProductBody[];
  readonly nextCursor?: string;
}

/** The response as the RFC 9457 problem it must be. */
export function problemOf(res: request.Response): Problem {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Problem;
}

export function productOf(res: request.Response): ProductBody {
  return res.body as ProductBody;
}

export function pageOf(res: request.Response): ProductPageBody {
  return res.body as ProductPageBody;
}
