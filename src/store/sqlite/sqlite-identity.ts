import type Database from 'better-sqlite3';
import type {
  IdentityCandidatesQuery,
  IdentityWrites,
  StoredIdentity,
  StoredIdentityRecord,
  StreamedIdentity,
} from '../store.js';
import type { SealedValue } from './row-digest.js';
import { SEALED_TABLES, type TableSealDelta } from './table-seal.js';

/** Where `subject` stands in an `identity_records` row as its seal reads it. */
const RECORD_SUBJECT = SEALED_TABLES.identity_records.split(', ').indexOf('subject');

/**
 * Identity resolution's tables. `identity_records` holds one row per distinct subject
 * representation (the record), the person it links to now and the link's evidence;
 * facts point to records through their subject (the record id is a hash of it), so ingest
 * writes nothing per fact. Reviews, the decision history and operator state (persons kept
 * apart, strong keys an operator split moved) sit beside it; `identity_moves` holds merges
 * found during ingest whose facts are still to be moved (settled after the batch).
 */
export const IDENTITY_MIGRATION = `
  CREATE TABLE identity_records (
    seq        INTEGER PRIMARY KEY,
    record_id  TEXT    NOT NULL UNIQUE,
    subject    TEXT    NOT NULL,
    decision   TEXT    NOT NULL,
    confidence REAL    NOT NULL,
    matched    TEXT,
    body       TEXT    NOT NULL,
    link       TEXT    NOT NULL
  );
  CREATE INDEX identity_records_subject ON identity_records (subject);

  CREATE TABLE identity_reviews (
    record_id TEXT PRIMARY KEY,
    item      TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE identity_decisions (
    seq  INTEGER PRIMARY KEY,
    body TEXT    NOT NULL
  );

  CREATE TABLE identity_state (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    body TEXT    NOT NULL
  );

  CREATE TABLE identity_moves (
    seq          INTEGER PRIMARY KEY,
    from_subject TEXT NOT NULL,
    to_subject   TEXT NOT NULL
  );
`;

/**
 * Migration 4: what a batch's candidates are read back by (docs/identity.md, "Scale"). Each
 * record's profile signature (`sig`), and per distinct profile, on its first record, the hashes
 * of its blocking keys and of the strong keys it claims (`identity_keys`). Rows stored before are
 * filled in the same transaction by `backfillIdentityKeys`.
 */
export const IDENTITY_KEYS_MIGRATION = `
  ALTER TABLE identity_records ADD COLUMN sig INTEGER;
  CREATE INDEX identity_records_sig ON identity_records (sig);
  CREATE TABLE identity_keys (
    key INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
  ) WITHOUT ROWID;
`;

/**
 * Migration 13: the merges of the identity history by the person each absorbed, so a page of the
 * review queue follows the ids it names to their survivors one indexed step at a time
 * (`MERGE_OF`) rather than reading every decision.
 */
export const IDENTITY_MERGES_MIGRATION = `
  CREATE INDEX IF NOT EXISTS identity_decisions_absorbed ON identity_decisions (json_extract(body, '$.absorbed'))
    WHERE json_extract(body, '$.kind') = 'merge';
`;

/**
 * The survivor of the last merge that absorbed a person (`?`), read through
 * `identity_decisions_absorbed`: the last one wins, as the restored engine's aliases have it.
 */
export const MERGE_OF = `SELECT json_extract(body, '$.survivor') FROM identity_decisions
  WHERE json_extract(body, '$.kind') = 'merge' AND json_extract(body, '$.absorbed') = ?
  ORDER BY seq DESC LIMIT 1`;

/** The index keys of a stored record's body, read in arrival order (`RecordIndexer`). */
export type RecordKeysOf = (body: string) => { sig: number; keys?: readonly number[] };

/** Indexes the identity records stored before migration 4, in arrival order. */
export function backfillIdentityKeys(db: Database.Database, keysOf: RecordKeysOf): void {
  const setSig = db.prepare('UPDATE identity_records SET sig = ? WHERE seq = ?');
  const addKey = db.prepare('INSERT OR IGNORE INTO identity_keys (key, seq) VALUES (?, ?)');
  const rows = db.prepare('SELECT seq, body FROM identity_records ORDER BY seq').all() as {
    seq: number;
    body: string;
  }[];
  for (const r of rows) {
    const k = keysOf(r.body);
    setSig.run(k.sig, r.seq);
    for (const key of k.keys ?? []) addKey.run(key, r.seq);
  }
}

/**
 * Migration 7: `identity_keys` and `identity_records.sig` derived again from the stored records.
 * How identifiers are keyed changed after records were indexed (a 15-digit resident ID read as
 * its 18-character upgrade, a passport's country as three letters, full-width digits folded), and
 * a record indexed under its old keys was not found by a batch reading its candidates through
 * the new ones. The rows are cleared here and `backfillIdentityKeys` fills them in the same
 * transaction, from each record's body read by the current build: running it again gives the
 * same rows.
 */
export const IDENTITY_REINDEX_MIGRATION = 'DELETE FROM identity_keys;';

/**
 * Migration 7's second half: the strong keys of the operator state (where a split sent each) in
 * the current spelling (`rekey`), in the order stored, so a later override of one key still wins.
 * A stored key left in an old spelling matched no record any more, and a passport a split moved
 * went back to the person it was split from.
 */
export function rekeyIdentityState(db: Database.Database, rekey: (key: string) => string): void {
  const body = db.prepare('SELECT body FROM identity_state WHERE id = 1').pluck().get() as string | undefined;
  if (!body) return;
  const state = JSON.parse(body) as { strong?: [string, string][] };
  if (!state.strong) return;
  state.strong = state.strong.map(([k, s]) => [rekey(k), s]);
  db.prepare('UPDATE identity_state SET body = ? WHERE id = 1').run(JSON.stringify(state));
}

interface RecordDbRow {
  record_id: string;
  subject: string;
  decision: string;
  confidence: number;
  matched: string | null;
  body: string;
  link: string;
}

const toRecordCore = (r: Omit<RecordDbRow, 'link'>): Omit<StoredIdentityRecord, 'link'> => ({
  recordId: r.record_id,
  subject: r.subject,
  decision: r.decision,
  confidence: r.confidence,
  matched: r.matched,
  body: r.body,
});

const toRecord = (r: RecordDbRow): StoredIdentityRecord => ({ ...toRecordCore(r), link: r.link });

/** Statements over the identity tables, prepared once per connection. */
export function prepareIdentityStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    insertRecord: p(
      `INSERT OR IGNORE INTO identity_records (record_id, subject, decision, confidence, matched, body, link, sig)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertKey: p('INSERT OR IGNORE INTO identity_keys (key, seq) VALUES (?, ?)'),
    blockSeqs: p('SELECT seq FROM identity_keys WHERE key = ? ORDER BY seq DESC LIMIT ?').pluck(),
    firstSeq: p('SELECT seq FROM identity_keys WHERE key = ? ORDER BY seq LIMIT 1').pluck(),
    seqSubject: p('SELECT subject FROM identity_records WHERE seq = ?').pluck(),
    sigSubjects: p('SELECT DISTINCT subject FROM identity_records WHERE sig = ?').pluck(),
    subjectRecords: p(
      'SELECT seq, record_id AS recordId, subject, decision, confidence, matched, body, sig FROM identity_records WHERE subject = ?',
    ),
    unindexed: p('SELECT 1 FROM identity_records WHERE sig IS NULL LIMIT 1').pluck(),
    recordCount: p('SELECT coalesce(max(seq), 0) FROM identity_records').pluck(),
    // Each row a write changes comes back (an UPDATE returns the new values; the old ones differ
    // in the subject only) or is read first, to keep the tables' seals (`table-seal.ts`).
    relinkRecord: p(
      `UPDATE identity_records SET subject = ? WHERE record_id = ? RETURNING ${SEALED_TABLES.identity_records}`,
    ).raw(),
    recordSubjectOf: p('SELECT subject FROM identity_records WHERE record_id = ?').pluck(),
    relinkSubject: p(
      `UPDATE identity_records SET subject = ? WHERE subject = ? RETURNING ${SEALED_TABLES.identity_records}`,
    ).raw(),
    reviewRow: p(`SELECT ${SEALED_TABLES.identity_reviews} FROM identity_reviews WHERE record_id = ?`).raw(),
    upsertReview: p('INSERT OR REPLACE INTO identity_reviews (record_id, item) VALUES (?, ?)'),
    deleteReview: p(
      `DELETE FROM identity_reviews WHERE record_id = ? RETURNING ${SEALED_TABLES.identity_reviews}`,
    ).raw(),
    insertDecision: p('INSERT OR IGNORE INTO identity_decisions (seq, body) VALUES (?, ?)'),
    stateRow: p(`SELECT ${SEALED_TABLES.identity_state} FROM identity_state WHERE id = 1`).raw(),
    upsertState: p('INSERT OR REPLACE INTO identity_state (id, body) VALUES (1, ?)'),
    insertMove: p(
      `INSERT INTO identity_moves (from_subject, to_subject) VALUES (?, ?) RETURNING ${SEALED_TABLES.identity_moves}`,
    ).raw(),
    clearMoves: p(`DELETE FROM identity_moves RETURNING ${SEALED_TABLES.identity_moves}`).raw(),
    // Each moved fact's seq comes back to move it in the seal over facts' persons.
    moveSubjectFacts: p('UPDATE facts SET subject = ? WHERE subject = ? RETURNING seq').pluck(),
    moveSubjectIdentifiers: p(
      'UPDATE identifiers SET subject = ? WHERE subject = ? RETURNING kind, value',
    ).raw(),
    moveSubjectConsents: p('UPDATE OR REPLACE consents SET subject = ? WHERE subject = ?'),
    // The rows as they were, read before their move (an UPDATE returns only the new values).
    factFiled: p('SELECT seq, subject FROM facts WHERE source = ? AND id = ?').raw(),
    retractionsFiled: p('SELECT seq, subject FROM facts WHERE source = ? AND retracts = ?').raw(),
    moveFact: p('UPDATE facts SET subject = ? WHERE source = ? AND id = ?'),
    moveRetractionsOf: p('UPDATE facts SET subject = ? WHERE source = ? AND retracts = ?'),
    moveConsent: p('UPDATE OR REPLACE consents SET subject = ? WHERE fact_key = ?'),
    moveIdentifier: p(
      'UPDATE identifiers SET subject = ? WHERE kind = ? AND value = ? AND subject = ? RETURNING kind, value',
    ).raw(),
    // Named as the port names them: a restore reads millions of rows, each mapped once.
    allRecords: p(
      'SELECT record_id AS recordId, subject, decision, confidence, matched, body FROM identity_records ORDER BY seq',
    ),
    recordsOf: p('SELECT * FROM identity_records WHERE subject = ? ORDER BY seq'),
    recordById: p('SELECT * FROM identity_records WHERE record_id = ?'),
    recordSubject: p('SELECT subject FROM identity_records WHERE record_id = ?').pluck(),
    allReviews: p('SELECT item FROM identity_reviews ORDER BY record_id').pluck(),
    reviewItem: p('SELECT item FROM identity_reviews WHERE record_id = ?').pluck(),
    allDecisions: p('SELECT body FROM identity_decisions ORDER BY seq').pluck(),
    state: p('SELECT body FROM identity_state WHERE id = 1').pluck(),
    moves: p('SELECT from_subject AS "from", to_subject AS "to" FROM identity_moves ORDER BY seq'),
  };
}

export type IdentityStatements = ReturnType<typeof prepareIdentityStatements>;

/**
 * Applies a batch's identity writes inside the caller's transaction (after the batch's facts); an
 * identifier or a fact moved to another person is taken out of its seal (`identifiers`,
 * `fact_subjects`) and put back under them.
 */
export function applyIdentityWrites(s: IdentityStatements, w: IdentityWrites, sealed: TableSealDelta): void {
  const moved = (rows: unknown[], from: string, to: string): void => {
    for (const [kind, value] of rows as [string, string][]) {
      sealed.remove('identifiers', [kind, value, from]);
      sealed.add('identifiers', [kind, value, to]);
    }
  };
  // Records moved to another person: each row as it is now in, as it was (another subject) out.
  const relinked = (rows: unknown[], from: string): void => {
    for (const row of rows as SealedValue[][]) {
      sealed.add('identity_records', row);
      const old = [...row];
      old[RECORD_SUBJECT] = from;
      sealed.remove('identity_records', old);
    }
  };
  const keys: [number, number][] = [];
  for (const r of w.records ?? []) {
    // The row as inserted, and as sealed after its seq (`SEALED_TABLES.identity_records`).
    const row = [r.recordId, r.subject, r.decision, r.confidence, r.matched, r.body, r.link, r.sig ?? null];
    const done = s.insertRecord.run(...row);
    if (done.changes === 0) continue;
    const seq = Number(done.lastInsertRowid);
    sealed.add('identity_records', [seq, ...row]);
    if (!r.keys) continue;
    for (const key of r.keys) keys.push([key, seq]);
  }
  // In key order: each insert lands beside the last one instead of on a random page of the index
  // (the keys are hashes), which halved the index's cost on a 100k-row import.
  keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [key, seq] of keys)
    if (s.insertKey.run(key, seq).changes > 0) sealed.add('identity_keys', [key, seq]);
  for (const m of w.subjectMoves ?? []) {
    relinked(s.relinkSubject.all(m.to, m.from), m.from);
    if (m.facts) {
      for (const seq of s.moveSubjectFacts.all(m.to, m.from) as number[]) {
        sealed.remove('fact_subjects', [seq, m.from]);
        sealed.add('fact_subjects', [seq, m.to]);
      }
      moved(s.moveSubjectIdentifiers.all(m.to, m.from), m.from, m.to);
      s.moveSubjectConsents.run(m.to, m.from);
    } else {
      sealed.add('identity_moves', s.insertMove.get(m.from, m.to) as SealedValue[]);
    }
  }
  for (const r of w.relink ?? []) {
    const from = s.recordSubjectOf.get(r.recordId) as string | undefined;
    if (from !== undefined) relinked(s.relinkRecord.all(r.subject, r.recordId), from);
  }
  for (const f of w.factMoves ?? []) {
    const filed = [
      ...(s.factFiled.all(f.source, f.id) as [number, string][]),
      ...(s.retractionsFiled.all(f.source, f.id) as [number, string][]),
    ];
    s.moveFact.run(f.subject, f.source, f.id);
    s.moveRetractionsOf.run(f.subject, f.source, f.id);
    for (const [seq, from] of filed) {
      sealed.remove('fact_subjects', [seq, from]);
      sealed.add('fact_subjects', [seq, f.subject]);
    }
    s.moveConsent.run(f.subject, `${f.source}/${f.id}`);
  }
  for (const i of w.identifierMoves ?? [])
    moved(s.moveIdentifier.all(i.to, i.kind, i.value, i.from), i.from, i.to);
  for (const r of w.reviewsClosed ?? []) sealed.removeAll('identity_reviews', s.deleteReview.all(r));
  for (const r of w.reviews ?? []) {
    sealed.replacing('identity_reviews', s.reviewRow.get(r.recordId));
    s.upsertReview.run(r.recordId, r.item);
    sealed.add('identity_reviews', [r.recordId, r.item]);
  }
  for (const d of w.decisions ?? []) {
    if (s.insertDecision.run(d.seq, d.body).changes > 0) sealed.add('identity_decisions', [d.seq, d.body]);
  }
  if (w.state !== undefined) {
    sealed.replacing('identity_state', s.stateRow.get());
    s.upsertState.run(w.state);
    sealed.add('identity_state', [1, w.state]);
  }
  if (w.movesSettled) sealed.removeAll('identity_moves', s.clearMoves.all());
}

/** Everything needed to restore the resolver: records in arrival order, reviews, history, state. */
export function readIdentity(s: IdentityStatements): StoredIdentity {
  return {
    records: s.allRecords.all() as Omit<StoredIdentityRecord, 'link'>[],
    reviews: s.allReviews.all() as string[],
    decisions: s.allDecisions.all() as string[],
    state: (s.state.get() as string | undefined) ?? null,
    moves: s.moves.all() as { from: string; to: string }[],
  };
}

/**
 * `readIdentity` with the records iterated from the statement rather than gathered: `use` runs
 * inside the caller's read transaction, and each row is garbage once passed (holding 763,210 rows
 * took 5.6 s of reading and collecting, against 2.1 s streamed).
 */
export function streamIdentity<T>(s: IdentityStatements, use: (x: StreamedIdentity) => T): T {
  // The small tables first: the connection runs no other statement while the records are iterated.
  const rest = {
    reviews: s.allReviews.all() as string[],
    decisions: s.allDecisions.all() as string[],
    state: (s.state.get() as string | undefined) ?? null,
    moves: s.moves.all() as { from: string; to: string }[],
  };
  const records = s.allRecords.iterate() as IterableIterator<Omit<StoredIdentityRecord, 'link'>>;
  try {
    return use({ ...rest, records });
  } finally {
    // A `use` that stops early leaves the statement open: close it, or the connection stays busy.
    records.return?.();
  }
}

/**
 * Whether every record is indexed (`identity_keys`), how many there are, and the operator state:
 * what deciding between a batch's candidates and a whole restore needs to know.
 */
export function identityIndexStatus(s: IdentityStatements): {
  records: number;
  indexed: boolean;
  state: string | null;
} {
  return {
    records: s.recordCount.get() as number,
    indexed: s.unindexed.get() === undefined,
    state: (s.state.get() as string | undefined) ?? null,
  };
}

type CandidateRow = Omit<StoredIdentityRecord, 'link'> & { seq: number; sig: number | null };

/**
 * The records a batch's resolution can meet, in arrival order, handed to `use` like
 * `streamIdentity` hands all of them: the newest `limit` profiles of each blocking key, the first
 * claim of each strong key, every record of a signature, and, closed over, every record of each
 * person those belong to and every record sharing a profile with one of them (docs/identity.md,
 * "Scale": the engine restored from these decides as the engine restored from all).
 */
export function readIdentityCandidates<T>(
  s: IdentityStatements,
  q: IdentityCandidatesQuery,
  use: (x: StreamedIdentity) => T,
): T {
  const subjects = new Set<string>();
  const pending: string[] = [];
  const addSubject = (subject: string | undefined) => {
    if (subject === undefined || subjects.has(subject)) return;
    subjects.add(subject);
    pending.push(subject);
  };
  const sigs = new Set<number>();
  const addSig = (sig: number | null) => {
    if (sig === null || sigs.has(sig)) return;
    sigs.add(sig);
    for (const subject of s.sigSubjects.all(sig) as string[]) addSubject(subject);
  };
  for (const key of q.block)
    for (const seq of s.blockSeqs.all(key, q.limit) as number[])
      addSubject(s.seqSubject.get(seq) as string | undefined);
  for (const key of q.strong) {
    const seq = s.firstSeq.get(key) as number | undefined;
    if (seq !== undefined) addSubject(s.seqSubject.get(seq) as string | undefined);
  }
  for (const sig of q.sigs) addSig(sig);
  for (const subject of q.subjects) addSubject(subject);
  const rows: CandidateRow[] = [];
  while (pending.length > 0) {
    for (const r of s.subjectRecords.all(pending.pop()) as CandidateRow[]) {
      rows.push(r);
      addSig(r.sig);
    }
  }
  rows.sort((a, b) => a.seq - b.seq);
  return use({
    records: rows,
    reviews: [],
    decisions: s.allDecisions.all() as string[],
    state: (s.state.get() as string | undefined) ?? null,
    moves: s.moves.all() as { from: string; to: string }[],
  });
}

export function identityRecordsOf(s: IdentityStatements, subject: string): StoredIdentityRecord[] {
  return (s.recordsOf.all(subject) as RecordDbRow[]).map(toRecord);
}

export function identityRecord(s: IdentityStatements, recordId: string): StoredIdentityRecord | undefined {
  const r = s.recordById.get(recordId) as RecordDbRow | undefined;
  return r ? toRecord(r) : undefined;
}
