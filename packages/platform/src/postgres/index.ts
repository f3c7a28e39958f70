export { migrate, MigrationError, type Migration } from './migrate.js';
export { createPool, type PoolOptions } from './pool.js';
export { TransactionRolledBackError, withTransaction, type Transaction } from './transaction.js';
