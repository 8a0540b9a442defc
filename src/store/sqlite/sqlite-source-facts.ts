import Database from 'better-sqlite3';

/** A stored, unretracted fact of one source, as register imports replay it. */
export interface SourceFactRow {
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly subject: string;
  readonly body: string;
}

/**
 * Every unretracted fact one source sent with one of these types, streamed from its own read-only
 * connection (WAL lets it read while the store writes). Register imports derive a source's last
 * snapshot from these, so no table of their own is needed.
 *
 * Wanted on the store port as `sourceFacts?(source, types): AsyncIterable<SourceFactRow>`.
 *
 * @example
 * for (const f of scanSourceFacts('credence.db', 'court', ['court.blacklist_listed'])) ...
 */
export function* scanSourceFacts(
  dbPath: string,
  source: string,
  types: readonly string[],
): Generator<SourceFactRow> {
  if (types.length === 0) return;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const stmt = db.prepare(
      `SELECT id, type, at, subject, body FROM facts f
       WHERE source = ? AND type IN (${types.map(() => '?').join(',')})
         AND NOT EXISTS (SELECT 1 FROM facts r WHERE r.source = f.source AND r.retracts = f.id)`,
    );
    yield* stmt.iterate(source, ...types) as IterableIterator<SourceFactRow>;
  } finally {
    db.close();
  }
}

/**
 * The people who have an unretracted fact of one of these types (a flag's listing types), in id
 * order, from a read-only connection of their own.
 *
 * Wanted on the store port as `subjectsWithTypes?(types): Promise<string[]>`.
 */
export function subjectsWithTypes(dbPath: string, types: readonly string[]): string[] {
  if (types.length === 0) return [];
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    return db
      .prepare(
        `SELECT DISTINCT subject FROM facts f
         WHERE type IN (${types.map(() => '?').join(',')})
           AND NOT EXISTS (SELECT 1 FROM facts r WHERE r.source = f.source AND r.retracts = f.id)
         ORDER BY subject`,
      )
      .pluck()
      .all(...types) as string[];
  } finally {
    db.close();
  }
}
