import type { Problem } from '@msa/platform';
import type request from 'supertest';

/** An order as the API returns it. */
export interface OrderBody {
  readonly orderId: string;
  readonly userId: string;
  readonly status: 'CREATED' | 'CONFIRMED' | 'COMPLETED' | 'CANCELLED';
  readonly items: readonly { productId: string; quantity: number; unitPrice: { amountMinor: number; currency: string }; lineTotal: { amountMinor: number; currency: string } }[];
  readonly total: { readonly amountMinor: number; readonly currency: string };
  readonly payment?: { readonly method: string };
  readonly cancellation?: { readonly reason: string; readonly detail?: string };
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  readonly saga?: {
    readonly state: string;
    readonly deadline?: { readonly awaiting: string; readonly at: string };
    readonly steps: readonly { readonly step: string; readonly at: string; readonly eventIds: readonly string[]; readonly traceId?: string }[];
  };
}

/** A listing page as the API returns it. */
export interface OrderPageBody {
  readonly items: readonly OrderBody[];
  readonly nextCursor?: string;
}

/** The response as the RFC 9457 problem it must be. */
export function problemOf(res: request.Response): Problem {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as Problem;
}

export function orderOf(res: request.Response): OrderBody {
  return res.body as OrderBody;
}

export function pageOf(res: request.Response): OrderPageBody {
  return res.body as OrderPageBody;
}
