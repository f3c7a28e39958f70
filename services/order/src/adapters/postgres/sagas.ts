import type pg from 'pg';
import type { SagaState } from '../../domain/saga.js';
import type { SagaHistoryStep } from '../../ports.js';
import type { OverdueSagas } from '../saga/metrics.js';

/** A saga as stored. */
export interface StoredSaga {
  readonly state: SagaState;
  readonly correlationId: string;
  readonly history: readonly SagaHistoryStep[];
}

interface SagaRow {
  readonly state: SagaState;
  readonly correlation_id: string;
  readonly history: SagaHistoryStep[];
}

const fromRow = ({ state, correlation_id: correlationId, history }: SagaRow): StoredSaga => ({ state, correlationId, history });

/** Starts an order's saga with its first step; in the transaction that appends OrderCreated. */
export async function insertSaga(client: pg.ClientBase, state: SagaState, correlationId: string, step: SagaHistoryStep): Promise<void> {
  await client.query(
    `insert into order_sagas (order_id, correlation_id, state, history, deadline_at, updated_at)
     values ($1, $2, $3, jsonb_build_array($4::jsonb), $5, $6)`,
    [state.orderId, correlationId, JSON.stringify(state), JSON.stringify(step), state.deadline?.at ?? null, step.at],
  );
}

/**
 * The saga of `orderId`, locked until the transaction ends: whoever moves a saga (the consumer, the
 * deadline worker, a customer's cancel) takes this lock first, so they take turns on each order.
 */
export async function lockSaga(client: pg.ClientBase, orderId: string): Promise<StoredSaga | undefined> {
  const { rows } = await client.query<SagaRow>('select state, correlation_id, history from order_sagas where order_id = $1 for update', [orderId]);
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** The saga of `orderId` as committed, for reads. */
export async function readSaga(client: pg.ClientBase | pg.Pool, orderId: string): Promise<StoredSaga | undefined> {
  const { rows } = await client.query<SagaRow>('select state, correlation_id, history from order_sagas where order_id = $1', [orderId]);
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** Saves the saga's next state and appends its step; its timer follows the state's deadline. */
export async function saveSaga(client: pg.ClientBase, state: SagaState, step: SagaHistoryStep): Promise<void> {
  await client.query(
    `update order_sagas set state = $2, history = history || jsonb_build_array($3::jsonb), deadline_at = $4, updated_at = $5
     where order_id = $1`,
    [state.orderId, JSON.stringify(state), JSON.stringify(step), state.deadline?.at ?? null, step.at],
  );
}

/**
 * Claims one saga whose timer is due at `now`, locked until the transaction ends; rows another
 * replica holds are skipped, so each timer fires on one replica.
 */
export async function claimDueSaga(client: pg.ClientBase, now: Date): Promise<string | undefined> {
  const { rows } = await client.query<{ order_id: string }>(
    'select order_id from order_sagas where deadline_at <= $1 order by deadline_at limit 1 for update skip locked',
    [now],
  );
  return rows[0]?.order_id;
}

/** Moves a saga's timer to `at`, after a firing that failed, so one failing saga does not hold back the others. */
export async function postponeTimer(client: pg.ClientBase | pg.Pool, orderId: string, at: Date): Promise<void> {
  await client.query('update order_sagas set deadline_at = $2 where order_id = $1 and deadline_at is not null', [orderId, at]);
}

/**
 * The sagas whose timer fell due before `now` and has not fired: normally none for longer than a
 * poll of the deadline worker. Served by the partial index on `deadline_at`.
 */
export async function readOverdueSagas(client: pg.ClientBase | pg.Pool, now: Date): Promise<OverdueSagas> {
  const { rows } = await client.query<{ count: number; oldest_seconds: number | null }>(
    `select count(*)::int as count, extract(epoch from ($1::timestamptz - min(deadline_at)))::float8 as oldest_seconds
     from order_sagas where deadline_at <= $1`,
    [now],
  );
  const [row] = rows;
  return { count: row?.count ?? 0, oldestSeconds: row?.oldest_seconds ?? 0 };
}
