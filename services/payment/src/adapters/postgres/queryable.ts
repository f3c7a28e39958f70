import type pg from 'pg';

/** Where a statement runs: the pool for a statement of its own, a client inside a transaction. */
export type Queryable = pg.Pool | pg.ClientBase;
