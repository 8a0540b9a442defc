import Database from 'better-sqlite3';
import { CredenceError } from '../../core/errors/index.js';
import { apiSchema, disputeVersionSchema, keyVersionSchema, upgradeDisputeTables } from './api-schema.js';

/**
 * Opens the API's own connection to the database file and creates its tables if missing.
 *
 * @example
 * const db = openApiDb('./credence.db');
 */
export function openApiDb(path: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: path !== ':memory:' });
  } catch (e) {
    throw new CredenceError('CREDENCE_E_DB', `cannot open ${path}: ${(e as Error).message}`, { file: path });
  }
  try {
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(apiSchema);
    upgradeDisputeTables(db);
    db.exec(disputeVersionSchema);
    db.exec(keyVersionSchema);
  } catch (e) {
    // A file that is not a database (or is damaged) fails on its first statement.
    db.close();
    throw new CredenceError('CREDENCE_E_DB', `cannot open ${path}: ${(e as Error).message}`, { file: path });
  }
  return db;
}
