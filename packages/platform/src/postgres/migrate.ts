import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from './transaction.js';

/** One schema change, applied once per database and never edited afterwards. */
export interface Migration {
  /** Unique and stable, e.g. `event-store/001-events`; the order of the list is the order applied. */
  readonly id: string;
  readonly sql: string;
}

/** A migration recorded as applied differs from the one in the code, or ids repeat. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

// An arbitrary constant: every program migrating the same database takes this lock, so replicas
// starting together apply each migration once.
const MIGRATION_LOCK = 0x6d_69_67_72;

const ledger = `
  create table if not exists schema_migrations (
    id text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`;

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * Brings the database up to date: applies, in one transaction under an advisory lock, every
 * migration not yet recorded in `schema_migrations`, in list order. Returns the ids it applied.
 *
 * @throws MigrationError when ids repeat, or an applied migration's SQL has since changed, since the
 * database no longer matches what the code expects.
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<readonly string[]> {
  const ids = new Set(migrations.map((m) => m.id));
  if (ids.size !== migrations.length) throw new MigrationError('migration ids must be unique');
  return withTransaction(pool, async ({ client }) => {
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(ledger);
    const { rows } = await client.query<{ id: string; checksum: string }>('select id, checksum from schema_migrations');
    const applied = new Map(rows.map((row) => [row.id, row.checksum]));
    const done: string[] = [];
    for (const migration of migrations) {
      const sum = checksum(migration.sql);
      const recorded = applied.get(migration.id);
      if (recorded === undefined) {
        await client.query(migration.sql);
        await client.query('insert into schema_migrations (id, checksum) values ($1, $2)', [migration.id, sum]);
        done.push(migration.id);
      } else if (recorded !== sum) {
        throw new MigrationError(`migration ${migration.id} was changed after it was applied`);
      }
    }
    return done;
  });
}
