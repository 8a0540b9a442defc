import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CommitFrame } from '../../store/sqlite/sqlite-store.js';

/**
 * What the server's ingest pipeline holds between batches (people, their consents, the identity
 * engine, the next person number) is read from these tables; a write to them by anyone but the
 * server's own ingest makes it wrong. Derived tables (`ledger`, `scores`) are left out: they
 * follow from these. Inserts of identity records, subjects and identifiers always come with a
 * fact (a merge or split with a decision), so their inserts need no trigger of their own; a
 * forgotten record (`credence purge`) or a moved one is a delete or an update.
 */
const WATCHED: readonly (readonly [string, readonly ('INSERT' | 'UPDATE' | 'DELETE')[]])[] = [
  ['facts', ['INSERT', 'UPDATE', 'DELETE']],
  ['consents', ['INSERT', 'UPDATE', 'DELETE']],
  ['programs', ['INSERT', 'UPDATE', 'DELETE']],
  ['identity_decisions', ['INSERT', 'UPDATE', 'DELETE']],
  ['identity_state', ['INSERT', 'UPDATE', 'DELETE']],
  ['identity_records', ['UPDATE', 'DELETE']],
  ['identifiers', ['UPDATE', 'DELETE']],
  ['subjects', ['DELETE']],
];

/**
 * One row per running server: `written` turns 1 when anyone else changes a watched table (another
 * process — the CLI, another server — or this server outside its ingest); `own` is 1 only inside
 * the server's own ingest transactions (set first and cleared last in each, so it is never
 * committed as 1: every other connection reads 0). A trigger costs one look-up in this small table
 * per row written, and nothing once every row is marked.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS api_foreign_writes (
    id      INTEGER PRIMARY KEY,
    written INTEGER NOT NULL,
    own     INTEGER NOT NULL
  );
  ${WATCHED.flatMap(([table, events]) =>
    events.map(
      (event) => `
  CREATE TRIGGER IF NOT EXISTS api_foreign_writes_${table}_${event.toLowerCase()} AFTER ${event} ON ${table}
  WHEN EXISTS (SELECT 1 FROM api_foreign_writes WHERE written = 0 AND own = 0)
  BEGIN UPDATE api_foreign_writes SET written = 1 WHERE written = 0 AND own = 0; END;`,
    ),
  ).join('')}
`;

/**
 * Whether anyone but this server's ingest wrote what its pipeline holds since it last looked.
 * SQLite's `data_version` says that something was committed, not by whom, and the server's own
 * batches (committed on its writer thread, another connection) move it on every batch; these
 * triggers tell them apart, so the pipeline is started afresh only after another writer's commit.
 *
 * @example
 * const fw = ForeignWrites.open(db);
 * const behind = withWriteBehind(app, fw.commitFrame);
 * if (fw.written()) { ...start afresh...; fw.clear(); }
 */
export class ForeignWrites {
  readonly #id: number;
  readonly #written: Database.Statement;
  readonly #clear: Database.Statement;
  readonly #drop: Database.Statement;

  private constructor(db: Database.Database, id: number) {
    this.#id = id;
    this.#written = db.prepare('SELECT written FROM api_foreign_writes WHERE id = ?').pluck();
    this.#clear = db.prepare('INSERT OR REPLACE INTO api_foreign_writes (id, written, own) VALUES (?, 0, 0)');
    this.#drop = db.prepare('DELETE FROM api_foreign_writes WHERE id = ?');
  }

  /** Creates the table and triggers when missing and adds this server's row. */
  static open(db: Database.Database): ForeignWrites {
    db.exec(SCHEMA);
    // Rows of servers that stopped without removing theirs, once marked, cost a trigger nothing
    // but would pile up: a running server whose row goes finds it missing and takes that as written.
    db.prepare('DELETE FROM api_foreign_writes WHERE written = 1').run();
    const fw = new ForeignWrites(db, randomInt(1, 2 ** 47));
    fw.clear();
    return fw;
  }

  /** The statements the server's writer runs first and last in each of its batches. */
  get commitFrame(): CommitFrame {
    return {
      begin: `UPDATE api_foreign_writes SET own = 1 WHERE id = ${this.#id}`,
      end: `UPDATE api_foreign_writes SET own = 0 WHERE id = ${this.#id}`,
    };
  }

  /** Whether another writer changed a watched table since `clear` (or this row went missing). */
  written(): boolean {
    return this.#written.get(this.#id) !== 0;
  }

  /** What is stored now is what the pipeline reads from here on. */
  clear(): void {
    this.#clear.run(this.#id);
  }

  /** Removes this server's row (at close). */
  close(): void {
    this.#drop.run(this.#id);
  }
}
