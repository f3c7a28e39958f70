import { createHash } from 'node:crypto';
import type pg from 'pg';

/** A key's first use, or the order an earlier request with it made. */
export type KeyClaim = { readonly status: 'claimed' } | { readonly status: 'used'; readonly requestHash: string; readonly orderId: string };

/**
 * Claims `key` for the user's new order `orderId`. A concurrent request with the same key waits on the
 * primary key until this transaction ends: it then finds the key used (the first committed) or claims
 * it itself (the first rolled back), so concurrent retries make one order.
 */
export async function claimIdempotencyKey(client: pg.ClientBase, userId: string, key: string, requestHash: string, orderId: string): Promise<KeyClaim> {
  const inserted = await client.query(
    `insert into order_idempotency_keys (user_id, idempotency_key, request_hash, order_id) values ($1, $2, $3, $4)
     on conflict (user_id, idempotency_key) do nothing`,
    [userId, key, requestHash, orderId],
  );
  if (inserted.rowCount === 1) return { status: 'claimed' };
  const { rows } = await client.query<{ request_hash: string; order_id: string }>(
    'select request_hash, order_id from order_idempotency_keys where user_id = $1 and idempotency_key = $2',
    [userId, key],
  );
  const [row] = rows;
  if (row === undefined) throw new Error(`idempotency key ${key} was neither claimed nor found`);
  return { status: 'used', requestHash: row.request_hash, orderId: row.order_id };
}

/** A hash of a request's content, the same for the same content whatever the order of its keys. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
