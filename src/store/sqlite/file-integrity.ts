import type Database from 'better-sqlite3';

/**
 * The audit log's own tables are left to the chain walk, which reads every entry, and to the
 * by-person index check, which reads that index against it: SQLite's check of them would read a
 * log of ten million entries a second time (issue #6 holds its verify to 30 s).
 */
const LEFT_TO_THE_CHAIN = new Set(['audit_log', 'audit_subject']);

/** What `checkFileIntegrity` found: the tables it read, or the first problem and where. */
export type IntegrityReport =
  | { readonly ok: true; readonly tables: number }
  | { readonly ok: false; readonly path: string; readonly reason: string };

/** The tables whose pages and indexes `checkFileIntegrity` reads: every table but the audit log's own. */
export function integrityTables(db: Database.Database): string[] {
  const names = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  return names.filter((n) => !LEFT_TO_THE_CHAIN.has(n));
}

/**
 * SQLite's own check (`PRAGMA integrity_check`) of each table's pages and of its indexes against
 * its rows. The seals hold what the rows say; they do not see an index that no longer agrees with
 * its table, nor a row changed in the file's bytes where a seal is summed from an index that
 * covers it (a fact's person is read from `facts_subject`). Either changes what Credence reads
 * next: a fact its `(source, id)` index lost would be stored a second time, a person's facts
 * listed under another. The first problem is named by table and row.
 */
export function checkFileIntegrity(db: Database.Database, tables: readonly string[]): IntegrityReport {
  for (const table of tables) {
    const found = db.pragma(`integrity_check("${table.replaceAll('"', '""')}")`) as {
      integrity_check: string;
    }[];
    const messages = found
      .map((r) => r.integrity_check)
      .filter((m) => m !== 'ok' && !m.startsWith('*** in database'));
    if (found.length === 1 && found[0]?.integrity_check === 'ok') continue;
    const first = (messages[0] ?? found[0]?.integrity_check ?? 'unreadable').trim();
    return { ok: false, ...placeOf(db, table, first) };
  }
  return { ok: true, tables: tables.length };
}

/** Turns one of SQLite's messages into Credence's place and reason. */
function placeOf(db: Database.Database, table: string, message: string): { path: string; reason: string } {
  const outside = 'the file was edited outside Credence, or damaged';
  const row = /^row (\d+) missing from index (\S+)/.exec(message);
  if (row) {
    const rowid = Number(row[1]);
    return {
      path: rowPath(table, rowid),
      reason: `${rowName(db, table, rowid)} and its index ${row[2]} no longer agree (SQLite: ${message}): ${outside}`,
    };
  }
  const index = /(?:wrong # of entries|non-unique entry) in index (\S+)/.exec(message);
  if (index) {
    return {
      path: `${table}[index=${index[1]}]`,
      reason: `${table} and its index ${index[1]} no longer agree (SQLite: ${message}): ${outside}`,
    };
  }
  const page = /Tree (\d+) page (\d+)/.exec(message);
  return {
    path: page ? `${treeName(db, Number(page[1])) ?? table}[page=${page[2]}]` : table,
    reason: `the pages of ${page ? (treeName(db, Number(page[1])) ?? table) : table} are damaged (SQLite: ${message}): ${outside}`,
  };
}

function rowPath(table: string, rowid: number): string {
  return table === 'facts' ? `facts[seq=${rowid}]` : `${table}[rowid=${rowid}]`;
}

/** A row as an operator knows it: a fact by its source and id (read from the table, not an index). */
function rowName(db: Database.Database, table: string, rowid: number): string {
  if (table !== 'facts') return `row ${rowid} of ${table}`;
  try {
    const f = db.prepare('SELECT source, id FROM facts NOT INDEXED WHERE rowid = ?').get(rowid) as
      | { source: string; id: string }
      | undefined;
    return f ? `fact ${f.source}/${f.id} (seq ${rowid})` : `the fact of seq ${rowid}`;
  } catch {
    return `the fact of seq ${rowid}`;
  }
}

/** The table or index whose B-tree starts at root page `root`. */
function treeName(db: Database.Database, root: number): string | undefined {
  try {
    return db.prepare('SELECT name FROM sqlite_schema WHERE rootpage = ?').pluck().get(root) as
      | string
      | undefined;
  } catch {
    return undefined;
  }
}
