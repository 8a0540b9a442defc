import Database from 'better-sqlite3';
import { sqliteNativeBinding } from './native-binding.js';

/** A stored, unretracted fact of one source, as register imports replay it. */
export interface SourceFactRow {
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly subject: string;
  readonly body: string;
  /** The subject's national ID, when the body is left out (null when it names none). */
  readonly nationalId?: string | null;
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
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
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
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
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

/** Reads the stored facts of register entries by key; `close` when the import is done. */
export interface EntryFactReader {
  /**
   * Every unretracted fact of the source whose id is `key#…` for one of these keys, without its
   * body (`''`): a delta reads an entry's state, never its content.
   */
  facts(keys: readonly string[]): SourceFactRow[];
  /** The entry keys (each id's text before `#`) of the source's unretracted facts of these types. */
  keys(types: readonly string[]): string[];
  close(): void;
}

/**
 * Register deltas name the entries they change; an entry's state (listed, updated, removed)
 * comes from its own facts, whose ids all start with its key and `#` (`key#L:…`, `key#R:…`), so
 * one index range per entry finds them. Its own read-only connection, as `scanSourceFacts`.
 *
 * Wanted on the store port as `entryFacts?(source, keys): Promise<SourceFactRow[]>`.
 *
 * @example
 * const r = openEntryFactReader('credence.db', 'court');
 * const facts = r.facts(['Court A|(2024)-1']);
 * r.close();
 */
export function openEntryFactReader(dbPath: string, source: string): EntryFactReader {
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -65536');
  // '$' follows '#': the range is every id that starts with `key#`. Bodies are read for the
  // entry's content digest: a delta update that says what the entry holds is no change.
  const stmt = db.prepare(
    `SELECT id, type, at, subject, body, json_extract(body, '$.subject.national_id') AS nationalId
     FROM facts f
     WHERE source = ? AND id >= ? AND id < ? AND type IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM facts r WHERE r.source = f.source AND r.retracts = f.id)`,
  );
  const read = db.transaction((keys: readonly string[]) => {
    const out: SourceFactRow[] = [];
    for (const k of keys) out.push(...(stmt.all(source, `${k}#`, `${k}$`) as SourceFactRow[]));
    return out;
  });
  return {
    facts: (keys) => (keys.length === 0 ? [] : read(keys)),
    keys: (types) =>
      types.length === 0
        ? []
        : (db
            .prepare(
              `SELECT DISTINCT substr(id, 1, instr(id, '#') - 1) FROM facts f
               WHERE source = ? AND type IN (${types.map(() => '?').join(',')}) AND instr(id, '#') > 0
                 AND NOT EXISTS (SELECT 1 FROM facts r WHERE r.source = f.source AND r.retracts = f.id)`,
            )
            .pluck()
            .all(source, ...types) as string[]),
    close: () => db.close(),
  };
}

/**
 * Fact keys (`source/id`) under open dispute, as the API records them beside the store
 * (`api_disputes`); none when the API never ran on this file. A program that suspends disputed
 * facts leaves them out of its outcome, flags included. By fact, not by the id that opened the
 * dispute: a merge since may have moved the fact to another person (the API keys its marks so).
 *
 * Wanted on the store port with the disputes themselves.
 */
export function openDisputedFacts(dbPath: string): Set<string> {
  return disputedFactsAt(dbPath, undefined);
}

/**
 * Fact keys (`source/id`) under dispute at `asOf`, as they stood then (`api_disputes`): a dispute
 * marks its fact from its opening until it was resolved, on while it is open, so a replay of the
 * past is not changed by a dispute opened today, and one rejected since still marks the stretch
 * it was open (the API's as-of scores mark facts the same way). Undefined `asOf`: the disputes
 * open now. A closed dispute whose resolution time was never recorded marks nothing.
 */
export function disputedFactsAt(dbPath: string, asOf: number | undefined): Set<string> {
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  try {
    db.pragma('busy_timeout = 10000');
    return disputedFactsIn(db, asOf);
  } finally {
    db.close();
  }
}

/** `disputedFactsAt` on a connection already open (the API's own, which an in-memory store shares). */
export function disputedFactsIn(db: Database.Database, asOf: number | undefined): Set<string> {
  const out = new Set<string>();
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'api_disputes'")
    .get();
  if (!table) return out;
  const rows = (
    asOf === undefined
      ? db.prepare("SELECT source, fact_id AS id FROM api_disputes WHERE status = 'open'").all()
      : db
          .prepare(
            `SELECT source, fact_id AS id FROM api_disputes
             WHERE opened_at <= @t AND (status = 'open' OR resolved_at > @t)`,
          )
          .all({ t: asOf })
  ) as { source: string; id: string }[];
  for (const r of rows) out.add(`${r.source}/${r.id}`);
  return out;
}
