import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CredenceError } from '../../core/errors/index.js';
import { type AuditEntry, type AuditInput, GENESIS_HASH, sealEntry, sealedText } from '../audit-entry.js';
import type { AppendDone, AuditLog, AuditQuery } from '../audit-log.js';
import { type AuditRow, checkRange, joinRanges, type RangeResult, type SealedRow } from '../audit-range.js';
import type { AuditVerifyReport } from '../audit-verify.js';
import { openRowBySeq, sealedRows } from './sealed-rows.js';
import { AUDIT_SQL, auditSchema, SUBJECT_INDEX_EVERY } from './sqlite-audit-schema.js';
import { firstUnindexed, unindexedIn } from './subject-index-check.js';

const COLS = 'seq, at, actor, action, subject, purpose, detail, prev_hash, hash';

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r[0],
  at: r[1],
  actor: r[2],
  action: r[3],
  subject: r[4],
  purpose: r[5],
  detail: r[6],
  prevHash: r[7],
  hash: r[8],
});

/**
 * Opens the audit log in a database file (creating its tables if missing): WAL,
 * synchronous=NORMAL, one IMMEDIATE transaction per append, so the chain stays whole even with
 * several processes appending (each reads the head inside its own write lock).
 *
 * @example
 * const log = await openSqliteAuditLog('./credence.db');
 * await log.append({ at: Date.now(), actor: 'cli', action: 'file.export', subject: 'P0000001' });
 */
export async function openSqliteAuditLog(
  path: string,
  opts: { readonly?: boolean } = {},
): Promise<SqliteAuditLog> {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: path !== ':memory:', readonly: !!opts.readonly });
  } catch (e) {
    throw new CredenceError(
      'CREDENCE_E_DB',
      `cannot open the audit log in ${path}: ${(e as Error).message}`,
      {
        file: path,
      },
    );
  }
  try {
    db.pragma('busy_timeout = 10000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(auditSchema);
    }
  } catch (e) {
    // A file that is not a database (or is damaged) fails on its first statement.
    db.close();
    throw new CredenceError(
      'CREDENCE_E_DB',
      `cannot open the audit log in ${path}: ${(e as Error).message}`,
      {
        file: path,
      },
    );
  }
  return new SqliteAuditLog(db, path);
}

/** Most rows one INSERT statement carries (a group commit of more uses several). */
const INSERT_ROWS = 16;

export { SUBJECT_INDEX_EVERY };

/** The SQLite adapter of the audit-log port. */
export class SqliteAuditLog implements AuditLog {
  readonly #db: Database.Database;
  readonly #path: string;
  readonly #appendTx: Database.Transaction<(inputs: readonly AuditInput[]) => AuditEntry[]>;
  readonly #headSt: Database.Statement;
  /** `INSERT INTO audit_log` of n rows at index n - 1, prepared on first use. */
  readonly #insertSts: Database.Statement[] = [];
  readonly #setHeadSt: Database.Statement;
  readonly #snapshotTx: Database.Transaction<
    () => { head: { seq: number; hash: string }; maxSeq: number; mark: number }
  >;
  /** Appends waiting for this turn's group commit, and what each caller is told once it is done. */
  #pending: AuditInput[] = [];
  #waiting: AppendDone[] = [];
  readonly #markSt: Database.Statement;
  readonly #indexTailSt: Database.Statement;
  readonly #setMarkSt: Database.Statement;
  readonly #indexEvery: number;
  readonly #indexTx: Database.Transaction<() => void>;
  /** The mark as last seen: marks only grow, so the real one is never below it. */
  #markSeen = 0;
  /** The head after this process's last append. */
  #headSeen = 0;
  #indexScheduled = false;

  /**
   * `db` must hold the `auditSchema` tables. `indexEvery`: entries appended before the tail is
   * moved into the by-person table (larger: fewer page writes per entry, as more of them share a
   * page, but a longer transaction each time it happens).
   */
  constructor(db: Database.Database, path: string, opts: { indexEvery?: number } = {}) {
    this.#db = db;
    this.#path = path;
    this.#indexEvery = Math.max(1, opts.indexEvery ?? SUBJECT_INDEX_EVERY);
    this.#markSt = db.prepare(AUDIT_SQL.mark).pluck();
    this.#indexTailSt = db.prepare(AUDIT_SQL.indexTail);
    this.#setMarkSt = db.prepare(AUDIT_SQL.setMark);
    this.#headSt = db.prepare(AUDIT_SQL.head);
    this.#setHeadSt = db.prepare(AUDIT_SQL.setHead);
    const maxSeqSt = db.prepare('SELECT max(seq) FROM audit_log').pluck();
    // The recorded head and the highest stored seq in one transaction: one WAL snapshot.
    this.#snapshotTx = db.transaction(() => ({
      head: (this.#headSt.get() as { seq: number; hash: string } | undefined) ?? {
        seq: 0,
        hash: GENESIS_HASH,
      },
      maxSeq: (maxSeqSt.get() as number | null) ?? 0,
      mark: (this.#markSt.get() as number | undefined) ?? 0,
    }));
    this.#appendTx = db.transaction((inputs: readonly AuditInput[]) => {
      const head = this.#headSt.get() as { seq: number; hash: string } | undefined;
      let seq = head?.seq ?? 0;
      let hash = head?.hash ?? GENESIS_HASH;
      const out: AuditEntry[] = new Array(inputs.length);
      // Up to INSERT_ROWS entries per INSERT statement: one statement step per row cost about
      // 0.7 µs more per entry than a row of a multi-row INSERT.
      for (let i = 0; i < inputs.length; i += INSERT_ROWS) {
        const n = Math.min(INSERT_ROWS, inputs.length - i);
        const args: (string | number | null)[] = new Array(n * 9);
        for (let j = 0; j < n; j++) {
          const e = sealEntry(inputs[i + j] as AuditInput, seq, hash);
          const a = j * 9;
          args[a] = e.seq;
          args[a + 1] = e.at;
          args[a + 2] = e.actor;
          args[a + 3] = e.action;
          args[a + 4] = e.subject;
          args[a + 5] = e.purpose;
          args[a + 6] = e.detail;
          args[a + 7] = e.prevHash;
          args[a + 8] = e.hash;
          out[i + j] = e;
          seq = e.seq;
          hash = e.hash;
        }
        this.#insertOf(n).run(args);
      }
      this.#setHeadSt.run(seq, hash);
      this.#headSeen = seq;
      return out;
    });
    this.#indexTx = db.transaction(() => {
      const head = this.#headSt.get() as { seq: number } | undefined;
      this.#indexTail(head?.seq ?? 0, 1);
    });
    // A log written before `audit_subject` existed (or by a process that died mid-way) is caught
    // up once here, not inside some request's append.
    if (!db.readonly) this.#indexTx.immediate();
  }

  /**
   * Once `indexEvery` entries wait after the mark, moves them into `audit_subject` in a
   * transaction of its own on a later turn: the appends that crossed the line are committed and
   * answered first, and only requests arriving meanwhile wait for it.
   */
  #maybeIndex(): void {
    if (this.#indexScheduled || this.#headSeen - this.#markSeen < this.#indexEvery) return;
    this.#indexScheduled = true;
    setImmediate(() => {
      this.#indexScheduled = false;
      if (!this.#db.open) return;
      try {
        this.#indexTx.immediate();
      } catch {
        // Busy or failing: the entries stay in the tail, where queries find them; retried after
        // the next append.
      }
    });
  }

  /** Moves entries after the mark, up to `seq`, into `audit_subject` once at least `min` wait. */
  #indexTail(seq: number, min: number): void {
    if (seq - this.#markSeen < min) return;
    const mark = (this.#markSt.get() as number | undefined) ?? 0;
    this.#markSeen = mark;
    if (seq - mark < min) return;
    this.#indexTailSt.run(mark, seq);
    this.#setMarkSt.run(seq);
    this.#markSeen = seq;
  }

  #insertOf(rows: number): Database.Statement {
    let st = this.#insertSts[rows - 1];
    if (!st) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      st = this.#db.prepare(`INSERT INTO audit_log (${COLS}) VALUES ${values}`);
      this.#insertSts[rows - 1] = st;
    }
    return st;
  }

  get path(): string {
    return this.#path;
  }

  /**
   * Appends one entry. Appends made in the same turn of the event loop are committed together in
   * one transaction (group commit) right after it, and each promise resolves only once that
   * transaction has committed: under load one WAL commit serves many requests, and no caller ever
   * answers before its entry is stored.
   */
  append(entry: AuditInput): Promise<AuditEntry> {
    return new Promise((resolve, reject) => {
      this.appendThen(entry, (err, e) => (err ? reject(err) : resolve(e as AuditEntry)));
    });
  }

  /**
   * `append` with a callback instead of a promise: the same group commit, and `done` is called
   * only once the entry's transaction has committed (with the error, and no entry, if it failed).
   * The HTTP hot path uses it to answer without a promise and a microtask per request.
   */
  appendThen(entry: AuditInput, done: AppendDone): void {
    this.#pending.push(entry);
    this.#waiting.push(done);
    if (this.#pending.length === 1) setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    const batch = this.#pending;
    const waiting = this.#waiting;
    if (batch.length === 0) return;
    this.#pending = [];
    this.#waiting = [];
    let sealed: AuditEntry[];
    try {
      sealed = this.#appendTx.immediate(batch);
    } catch (e) {
      tellAll(waiting, e as Error, undefined);
      return;
    }
    this.#maybeIndex();
    tellAll(waiting, null, sealed);
  };

  /** The synchronous append the HTTP hot path uses (no extra microtask). */
  appendSync(entry: AuditInput): AuditEntry {
    const e = this.#appendTx.immediate([entry])[0] as AuditEntry;
    this.#maybeIndex();
    return e;
  }

  async appendMany(entries: readonly AuditInput[]): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    const out = this.#appendTx.immediate(entries);
    this.#maybeIndex();
    return out;
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.subject !== undefined) {
      // The indexed entries, and the tail after the mark (one statement: one snapshot of both).
      where.push(
        'seq IN (SELECT seq FROM audit_subject WHERE subject = ? UNION ALL SELECT seq FROM audit_log WHERE seq > coalesce((SELECT seq FROM audit_subject_mark WHERE id = 1), 0) AND subject = ?)',
      );
      // The entry itself must be about them: a row forged into the index never shows a person
      // another person's entry.
      where.push('subject = ?');
      args.push(q.subject, q.subject, q.subject);
    }
    if (q.actor !== undefined) {
      where.push('actor = ?');
      args.push(q.actor);
    }
    if (q.since !== undefined) {
      where.push('at >= ?');
      args.push(q.since);
    }
    if (q.afterSeq !== undefined) {
      where.push('seq > ?');
      args.push(q.afterSeq);
    }
    if (q.actions && q.actions.length > 0) {
      where.push(`action IN (${q.actions.map(() => '?').join(', ')})`);
      args.push(...q.actions);
    }
    const sql =
      `SELECT ${COLS} FROM audit_log${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq` +
      (q.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(q.limit))}` : '');
    return (
      this.#db
        .prepare(sql)
        .raw()
        .all(...args) as AuditRow[]
    ).map(toEntry);
  }

  /** The seq of the entry with this hash, if any: a scan, as hashes are not indexed (a verify reads every row anyway). */
  async seqOfHash(hash: string): Promise<number | undefined> {
    const seq = this.#db
      .prepare('SELECT seq FROM audit_log WHERE hash = ? ORDER BY seq LIMIT 1')
      .pluck()
      .get(hash);
    return typeof seq === 'number' ? seq : undefined;
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const h = this.#headSt.get() as { seq: number; hash: string } | undefined;
    return h ?? { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Walks the whole chain. Logs of 500,000 entries or more are checked in slices by worker
   * threads (one per core, up to 4): each entry's hash is independent of the others, only the
   * links between slices are checked after.
   */
  async verify(
    onProgress?: (entries: number) => void,
    opts: { workers?: number } = {},
  ): Promise<AuditVerifyReport> {
    // The head and the highest stored seq from one snapshot: an append commits both together, so
    // in one snapshot they agree on an intact log. The walk then reads entries up to that head
    // only: rows a live server appends after this moment are not part of this check (the next
    // verification covers them), and no longer look like a tail the head does not know about.
    const { head, maxSeq, mark } = this.#snapshotTx();
    // Entries up to the mark are found through audit_subject: each one about a person must be there.
    const indexedTo = Math.min(mark, head.seq);
    const workerFile = new URL('./verify-worker.js', import.meta.url);
    const workers =
      opts.workers ?? (head.seq >= 500_000 ? Math.min(4, Math.max(1, availableParallelism())) : 1);
    const slices: { from: number; to: number; sqlFrom: number; sqlTo: number }[] = [];
    const per = Math.ceil(Math.max(1, head.seq) / workers);
    for (let k = 0; k < workers; k++) {
      const from = 1 + k * per;
      const to = k === workers - 1 ? head.seq : Math.min(head.seq, from + per - 1);
      slices.push({ from, to, sqlFrom: k === 0 ? Number.MIN_SAFE_INTEGER : from, sqlTo: to });
    }
    let results: RangeResult[];
    if (workers > 1 && this.#path !== ':memory:' && existsSync(fileURLToPath(workerFile))) {
      results = await Promise.all(
        slices.map(
          (s) =>
            new Promise<RangeResult>((resolve, reject) => {
              const w = new Worker(workerFile, {
                workerData: { path: this.#path, headSeq: head.seq, indexedTo, ...s },
              });
              w.once('message', resolve);
              w.once('error', reject);
            }),
        ),
      );
    } else if (this.#path !== ':memory:') {
      // rowid order is seq order; a changed seq shows up as a gap or a step back.
      const rows = sealedRows(this.#path, Number.MIN_SAFE_INTEGER, head.seq);
      const rowBySeq = openRowBySeq(this.#path);
      try {
        results = [
          {
            ...checkRange(rows, 1, head.seq, head.seq, rowBySeq.get),
            ...unindexedIn(this.#path, 1, indexedTo),
          },
        ];
      } finally {
        rows.close();
        rowBySeq.close();
      }
    } else {
      // No second connection to a memory database: the text is built here, exactly.
      const it = this.#db
        .prepare(`SELECT ${COLS} FROM audit_log WHERE seq <= ? ORDER BY seq`)
        .raw()
        .iterate(head.seq) as IterableIterator<AuditRow>;
      results = [checkRange(inJs(it), 1, head.seq, head.seq, () => undefined)];
      it.return?.();
      const u = firstUnindexed(this.#db, 1, indexedTo);
      if (u) results = [{ ...(results[0] as RangeResult), unindexed: u }];
    }
    const report = subjectIndexChecked(
      joinRanges(results, head, GENESIS_HASH, maxSeq),
      results,
      mark,
      maxSeq,
    );
    onProgress?.(report.entries);
    return report;
  }

  async close(): Promise<void> {
    try {
      this.#flush();
    } finally {
      if (this.#db.open) this.#db.close();
    }
  }
}

/**
 * Calls every waiting caller with its entry (or the error): one that throws does not keep the
 * others from being told; its error is rethrown once all have been.
 */
function tellAll(
  waiting: readonly AppendDone[],
  err: Error | null,
  sealed: readonly AuditEntry[] | undefined,
): void {
  let thrown: { e: unknown } | undefined;
  for (let i = 0; i < waiting.length; i++) {
    try {
      (waiting[i] as AppendDone)(err, sealed?.[i]);
    } catch (e) {
      thrown ??= { e };
    }
  }
  if (thrown) throw thrown.e;
}

/**
 * An intact chain whose subject index hides an entry from its person is not intact: the first
 * entry missing from `audit_subject` (or a mark past the last entry, which would hide the entries
 * appended next) is reported as `unindexed`.
 */
function subjectIndexChecked(
  report: AuditVerifyReport,
  results: readonly RangeResult[],
  mark: number,
  maxSeq: number,
): AuditVerifyReport {
  if (!report.ok) return report;
  const first = results
    .map((r) => r.unindexed)
    .filter((u) => u !== undefined)
    .sort((a, b) => a.seq - b.seq)[0];
  if (first) {
    return {
      ...report,
      ok: false,
      problem: {
        kind: 'unindexed',
        seq: first.seq,
        reason: `entry ${first.seq} (about ${first.subject}) is missing from the subject index audit_subject: it was hidden from that person's inquiry list`,
      },
    };
  }
  if (mark > maxSeq) {
    return {
      ...report,
      ok: false,
      problem: {
        kind: 'unindexed',
        seq: maxSeq + 1,
        reason: `the subject index claims entries up to ${mark}, past the last entry ${maxSeq}: entries appended next would be hidden from their person`,
      },
    };
  }
  return report;
}

/** Whole rows as `SealedRow`s with the text built in JavaScript (the reference form). */
function* inJs(rows: Iterable<AuditRow>): Generator<SealedRow> {
  for (const r of rows) yield [r[0], sealedText(toEntry(r)), r[7], r[8]];
}
