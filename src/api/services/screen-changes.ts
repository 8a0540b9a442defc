import type Database from 'better-sqlite3';

/**
 * Facts are appended (`seq` grows), so what was added since a point is a range of the primary key
 * and costs nothing to track. Rows rewritten in place are rare (a purge deletes, an identity merge
 * or split moves facts to another subject) and leave nothing behind to find them by: these
 * triggers note each such row's subject(s) and `seq`. They fire only on those rare writes, never
 * on an insert, so ingest and import pay nothing for them. AUTOINCREMENT keeps ids from being
 * handed out twice once the table is pruned, which is how a reader tells it missed some.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS screen_fact_rewrites (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT    NOT NULL,
    seq     INTEGER NOT NULL
  );
  CREATE TRIGGER IF NOT EXISTS screen_fact_rewrites_delete AFTER DELETE ON facts
  BEGIN INSERT INTO screen_fact_rewrites (subject, seq) VALUES (OLD.subject, OLD.seq); END;
  CREATE TRIGGER IF NOT EXISTS screen_fact_rewrites_move AFTER UPDATE OF subject ON facts
  WHEN OLD.subject IS NOT NEW.subject
  BEGIN
    INSERT INTO screen_fact_rewrites (subject, seq) VALUES (OLD.subject, OLD.seq);
    INSERT INTO screen_fact_rewrites (subject, seq) VALUES (NEW.subject, NEW.seq);
  END;
`;

/** Rows kept before a reader prunes what it has read (other servers then build afresh once). */
const PRUNE_AT = 100_000;

/** A fact appended since the last look. */
export interface AppendedFact {
  readonly seq: number;
  readonly subject: string;
  readonly type: string | null;
  readonly retracts: string | null;
}

/** Where a reader of the changes is: facts seen up to `seq`, rewrites up to `rewrite`. */
export interface ChangeMark {
  readonly seq: number;
  readonly rewrite: number;
}

/** What changed since a mark, or `lost` when rewrites were pruned before this reader read them. */
export type FactChanges =
  | { readonly lost: true; readonly mark: ChangeMark }
  | {
      readonly lost: false;
      readonly mark: ChangeMark;
      /** The facts appended since that `since` was asked to keep. */
      readonly appended: readonly AppendedFact[];
      /** Subjects whose facts were deleted or moved away or in. */
      readonly rewritten: ReadonlySet<string>;
    };

/**
 * The facts changed since a mark, read on the server's connection (`PRAGMA data_version` says
 * that something was committed; this says what). Installs its triggers on open.
 *
 * @example
 * const changes = ScreenChanges.open(db);
 * let mark = changes.mark();
 * const c = changes.since(mark); mark = c.mark;
 */
export class ScreenChanges {
  readonly #db: Database.Database;
  readonly #maxSeq: Database.Statement;
  readonly #appended: Database.Statement;
  readonly #atSeq: Database.Statement;
  readonly #rewrites: Database.Statement;
  readonly #lastRewrite: Database.Statement;
  readonly #firstRewrite: Database.Statement;
  readonly #prune: Database.Statement;
  readonly #pruneAt: number;

  private constructor(db: Database.Database, pruneAt: number) {
    this.#db = db;
    this.#pruneAt = pruneAt;
    this.#maxSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM facts').pluck();
    this.#appended = db.prepare('SELECT seq, subject, type, retracts FROM facts WHERE seq > ? ORDER BY seq');
    this.#atSeq = db.prepare('SELECT seq, subject, type, retracts FROM facts WHERE seq = ?');
    this.#rewrites = db.prepare('SELECT id, subject, seq FROM screen_fact_rewrites WHERE id > ? ORDER BY id');
    this.#lastRewrite = db
      .prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'screen_fact_rewrites'), 0)")
      .pluck();
    this.#firstRewrite = db.prepare('SELECT min(id) FROM screen_fact_rewrites').pluck();
    this.#prune = db.prepare('DELETE FROM screen_fact_rewrites WHERE id <= ?');
  }

  /** The changes of the database `db` holds, or undefined when it holds no facts (another file). */
  static open(db: Database.Database, pruneAt = PRUNE_AT): ScreenChanges | undefined {
    const facts = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'facts'").get();
    if (!facts) return undefined;
    db.exec(SCHEMA);
    return new ScreenChanges(db, pruneAt);
  }

  /** Now: everything stored so far counts as seen. */
  mark(): ChangeMark {
    const mark = this.#db.transaction(() => ({
      seq: this.#maxSeq.get() as number,
      rewrite: this.#lastRewrite.get() as number,
    }))();
    this.#pruneUpTo(mark.rewrite);
    return mark;
  }

  /**
   * What changed since `from`, read in one transaction. Appended facts are read one by one and
   * only those `keep` wants are kept: an import of a million purchases is a million rows read,
   * not held.
   */
  since(from: ChangeMark, keep: (f: AppendedFact) => boolean = () => true): FactChanges {
    const out = this.#db.transaction((): FactChanges => {
      const last = this.#lastRewrite.get() as number;
      const first = this.#firstRewrite.get() as number | null;
      if (last > from.rewrite && (first === null || first > from.rewrite + 1)) {
        return { lost: true, mark: { seq: this.#maxSeq.get() as number, rewrite: last } };
      }
      const rewritten = new Set<string>();
      const appended: AppendedFact[] = [];
      let seq = from.seq;
      for (const f of this.#appended.iterate(from.seq) as Iterable<AppendedFact>) {
        if (f.seq > seq) seq = f.seq;
        if (keep(f)) appended.push(f);
      }
      const seen = new Set<number>();
      for (const r of this.#rewrites.iterate(from.rewrite) as Iterable<{ subject: string; seq: number }>) {
        rewritten.add(r.subject);
        if (r.seq <= from.seq) seen.add(r.seq);
      }
      // A deleted row's `seq` is handed out again when it was the highest: a fact inserted since
      // under a number already seen is found here, not by the range above.
      for (const at of seen) {
        const again = this.#atSeq.get(at) as AppendedFact | undefined;
        if (again && !rewritten.has(again.subject) && keep(again)) appended.push(again);
      }
      return { lost: false, mark: { seq, rewrite: last }, appended, rewritten };
    })();
    this.#pruneUpTo(out.mark.rewrite);
    return out;
  }

  /** Rows up to `id` once they pile up: nobody else may need them, but they must not grow forever. */
  #pruneUpTo(id: number): void {
    const first = (this.#firstRewrite.get() as number | null) ?? id;
    if (id - first + 1 >= this.#pruneAt) this.#prune.run(id);
  }
}
