import Database from 'better-sqlite3';

/** Every row of `table` in a database file, in the order of its first three columns. */
export function tableRows(path: string, table: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all();
  } finally {
    db.close();
  }
}
