import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { CredenceError } from '../core/errors/index.js';
import { sqliteNativeBinding } from '../store/sqlite/native-binding.js';

/**
 * The one row naming the `credence ingest`, `import`, `purge` or `rebuild` writing to the
 * database. An ingest or import numbers the people it creates from what it has read, so two at
 * once would give two people one id; a rebuild re-derives every person's ledger from the facts it
 * read, so a write beside it (new facts, a purge) would be lost from the ledgers or counted twice.
 * The second is refused instead. A row whose process has ended (killed, or Ctrl-C twice) is taken
 * over.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS cli_writer (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    pid     INTEGER NOT NULL,
    host    TEXT NOT NULL,
    command TEXT NOT NULL,
    since   INTEGER NOT NULL
  );
`;

interface WriterRow {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: number;
}

/** Whether a process of this machine still runs (one of another user's counts: it is there). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The commands that write the database in many steps and so claim it for their run. */
export type WriterCommand = 'ingest' | 'import' | 'purge' | 'rebuild';

/** Why `command` may not run beside `held`, in the operator's words. */
function clash(held: string, command: WriterCommand): string {
  const numbering = (c: string): boolean => c === 'ingest' || c === 'import';
  if (numbering(held) && numbering(command)) return 'two at once would give different people the same id';
  if (held === 'rebuild' || command === 'rebuild')
    return "a rebuild re-derives every person's ledger from the facts it has read: a write beside it would be lost or counted twice";
  return "each rescores the people it touches from what it has read: one's changes would be missed by the other";
}

/**
 * Claims the database for one `credence ingest`, `import`, `purge` or `rebuild` (`command`) of
 * this process; the function returned lets it go. Refuses with CREDENCE_E_STATE (exit 5) while
 * another runs, naming it. A database in memory has no other process to meet.
 *
 * @example
 * const release = claimWriter(app.dbPath, 'ingest');
 * try { ...ingest... } finally { release(); }
 */
export function claimWriter(dbPath: string, command: WriterCommand): () => void {
  if (dbPath === ':memory:') return () => undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { fileMustExist: true, nativeBinding: sqliteNativeBinding() });
    db.pragma('busy_timeout = 10000');
    db.exec(SCHEMA);
  } catch (e) {
    db?.close();
    throw lockedOr(e, dbPath, `cannot open ${dbPath}: ${(e as Error).message}`);
  }
  const host = hostname();
  try {
    db.transaction(() => {
      const held = db.prepare('SELECT pid, host, command, since FROM cli_writer WHERE id = 1').get() as
        | WriterRow
        | undefined;
      // A process of another machine cannot be asked whether it still runs: it is taken to.
      if (
        held &&
        !(held.host === host && held.pid === process.pid) &&
        (held.host !== host || running(held.pid))
      ) {
        throw new CredenceError(
          'CREDENCE_E_STATE',
          `another credence ${held.command} (process ${held.pid}${held.host === host ? '' : ` on ${held.host}`}, ` +
            `since ${new Date(held.since).toISOString()}) is writing to ${dbPath}: ${clash(held.command, command)}; ` +
            `run this ${command} when it has ended`,
          { file: dbPath },
        );
      }
      db.prepare(
        'INSERT OR REPLACE INTO cli_writer (id, pid, host, command, since) VALUES (1, ?, ?, ?, ?)',
      ).run(process.pid, host, command, Date.now());
    }).immediate();
  } catch (e) {
    db.close();
    throw lockedOr(e, dbPath);
  }
  return () => {
    try {
      db.prepare('DELETE FROM cli_writer WHERE id = 1 AND pid = ? AND host = ?').run(process.pid, host);
    } finally {
      db.close();
    }
  };
}

/**
 * SQLite's own "database is locked", met once the 10 s busy timeout has passed (another process,
 * not a credence ingest or import, holding the write lock), said as what it is, with the catalogue's
 * code; any other error is `fallback` when given, else itself.
 */
export function lockedOr(e: unknown, dbPath: string, fallback?: string): unknown {
  const code = String((e as { code?: unknown })?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new CredenceError(
      'CREDENCE_E_DB',
      `database ${dbPath} is locked by another process writing it (waited 10 s): nothing was written; run this again when it has finished`,
      { file: dbPath },
    );
  }
  return fallback === undefined ? e : new CredenceError('CREDENCE_E_DB', fallback, { file: dbPath });
}
