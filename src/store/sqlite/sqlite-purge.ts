import Database from 'better-sqlite3';
import { indexKeys } from '../../identity/index-keys.js';
import { MergeChains, type MergeStep } from '../../identity/merge-chain.js';
import { profileHash, toProfile } from '../../identity/profile.js';
import type { PersonRecord } from '../../identity/types.js';
import {
  FactSealDelta,
  prepareFactSealStatements,
  SEALED_FACT_COLUMNS,
  type SealedFactRow,
} from './fact-seal.js';
import { sqliteNativeBinding } from './native-binding.js';
import type { SealedValue } from './row-digest.js';
import {
  API_KEYS_SEAL,
  hasTable,
  prepareTableSealStatements,
  SEALED_TABLES,
  TableSealDelta,
} from './table-seal.js';

/** Facts of `type` that occurred before `before` (epoch ms) are past retention. */
export interface RetentionCutoff {
  readonly type: string;
  readonly before: number;
}

/**
 * A flag's listing type and the removal type that clears it, paired by the `key` data fields: a
 * removal is kept no longer than the listings it ends (`purgeExpiredFacts`).
 */
export interface FlagPairing {
  readonly set: string;
  readonly clear: string;
  readonly key: readonly string[];
}

/** What the purge forgot of people none of whose facts are left (`forgetOrphans`). */
export interface ForgottenCount {
  readonly people: number;
  /** `identity_records` rows (each with its `identity_keys` rows and open review). */
  readonly identityRecords: number;
  /** `identifiers` rows (kind and value: a phone, an ID number, an account...). */
  readonly identifiers: number;
  /**
   * Person tokens (`api_keys` rows of role `person`) of forgotten people, revoked and their name
   * blanked (`forgetPersonTokens`).
   */
  readonly personTokens: number;
}

export interface PurgeCount {
  /** Facts deleted, by event type. */
  readonly byType: Readonly<Record<string, number>>;
  readonly facts: number;
  /** Retractions of deleted facts, deleted with them. */
  readonly retractions: number;
  readonly ledgerRows: number;
  /** People whose facts were deleted: their ledgers and scores are to be derived again. */
  readonly subjects: readonly string[];
  readonly forgotten: ForgottenCount;
}

/** Thrown inside a dry run's transaction so that it rolls back, carrying what it counted. */
class DryRun extends Error {
  constructor(readonly count: PurgeCount) {
    super('dry run');
  }
}

/**
 * Deletes, in one transaction, every fact past its type's retention, the retractions that name
 * them and their ledger lines, and then forgets the identity of every person none of whose facts
 * is left (`forgetOrphans`). With `dryRun`, does all of it and rolls it back, so it reports
 * exactly what the purge would do. Runs on its own connection to the file.
 *
 * Wanted on the store port as `purgeFacts?(cutoffs, dryRun): Promise<PurgeCount>`.
 *
 * @example
 * purgeExpiredFacts('credence.db', [{ type: 'payment.completed', before: Date.parse('2023-07-01') }])
 */
export function purgeExpiredFacts(
  dbPath: string,
  cutoffs: readonly RetentionCutoff[],
  dryRun = false,
  pairings: readonly FlagPairing[] = [],
  now: number = Date.now(),
): PurgeCount {
  const db = new Database(dbPath, { fileMustExist: true, nativeBinding: sqliteNativeBinding() });
  try {
    db.pragma('busy_timeout = 10000');
    const select = db.prepare(
      'SELECT source, id, subject FROM facts WHERE type = ? AND at < ? AND retracts IS NULL',
    );
    // The deleted rows come back to be taken out of the seal over the facts (`fact-seal.ts`).
    const delFact = db
      .prepare(`DELETE FROM facts WHERE source = ? AND id = ? RETURNING ${SEALED_FACT_COLUMNS}, subject`)
      .raw();
    const delRetractions = db
      .prepare(
        `DELETE FROM facts WHERE source = ? AND retracts = ? RETURNING ${SEALED_FACT_COLUMNS}, subject`,
      )
      .raw();
    const seal = prepareFactSealStatements(db);
    const delLedger = db
      .prepare(`DELETE FROM ledger WHERE subject = ? AND fact_key = ? RETURNING ${SEALED_TABLES.ledger}`)
      .raw();
    const tableSeal = prepareTableSealStatements(db);
    const bodyOf = db.prepare('SELECT body FROM facts WHERE source = ? AND id = ?').pluck();
    const sameEntry = db.prepare(
      'SELECT id, body FROM facts WHERE subject = ? AND source = ? AND type = ? AND retracts IS NULL',
    );
    const run = db.transaction((): PurgeCount => {
      const byType: Record<string, number> = {};
      const subjects = new Set<string>();
      let facts = 0;
      let retractions = 0;
      let ledgerRows = 0;
      const sealed = new FactSealDelta();
      const tablesSealed = new TableSealDelta();
      // A deleted row out of both seals it is in: the facts' and the one over whose they are.
      const gone = (rows: unknown[]): number => {
        for (const r of rows as [...SealedFactRow, string][]) {
          sealed.remove(r.slice(0, 8) as unknown as SealedFactRow);
          tablesSealed.remove('fact_subjects', [r[0], r[8]]);
        }
        return rows.length;
      };
      // Listings this purge deletes: their removals go with them, below.
      const ended: { pairing: FlagPairing; source: string; subject: string; key: string }[] = [];
      for (const c of cutoffs) {
        const rows = select.all(c.type, c.before) as { source: string; id: string; subject: string }[];
        if (rows.length === 0) continue;
        byType[c.type] = rows.length;
        facts += rows.length;
        const pairs = pairings.filter((p) => p.set === c.type);
        for (const r of rows) {
          subjects.add(r.subject);
          if (pairs.length > 0) {
            const body = bodyOf.get(r.source, r.id) as string;
            for (const p of pairs)
              ended.push({ pairing: p, source: r.source, subject: r.subject, key: entryKey(body, p.key) });
          }
          gone(delFact.all(r.source, r.id));
          retractions += gone(delRetractions.all(r.source, r.id));
          ledgerRows += tablesSealed.removeAll('ledger', delLedger.all(r.subject, `${r.source}/${r.id}`));
        }
      }
      // A removal outlives no listing it ends: once the person has no listing of that entry left in
      // the source (a register's entry is deleted after its period, and so is Credence's copy), the
      // removal clears nothing and only keeps the person's names and numbers, and that they were
      // once listed. It goes in the same purge, whatever its own retention (docs/sources.md, §5).
      for (const e of ended) {
        const { set, clear, key } = e.pairing;
        const listed = sameEntry.all(e.subject, e.source, set) as { id: string; body: string }[];
        if (listed.some((l) => entryKey(l.body, key) === e.key)) continue;
        for (const rm of sameEntry.all(e.subject, e.source, clear) as { id: string; body: string }[]) {
          if (entryKey(rm.body, key) !== e.key) continue;
          if (gone(delFact.all(e.source, rm.id)) === 0) continue;
          byType[clear] = (byType[clear] ?? 0) + 1;
          facts++;
          retractions += gone(delRetractions.all(e.source, rm.id));
          ledgerRows += tablesSealed.removeAll('ledger', delLedger.all(e.subject, `${e.source}/${rm.id}`));
        }
      }
      sealed.commit(seal);
      tablesSealed.commit(tableSeal);
      const forgotten = forgetOrphans(db, now);
      const count = { byType, facts, retractions, ledgerRows, subjects: [...subjects].sort(), forgotten };
      // The dry run's rollback: what it counted is what the deletes did, never an estimate.
      if (dryRun) throw new DryRun(count);
      return count;
    });
    try {
      return run();
    } catch (e) {
      if (e instanceof DryRun) return e.count;
      throw e;
    }
  } finally {
    db.close();
  }
}

/** The values of a fact's `key` data fields, as one text (a listing and its removal share it). */
function entryKey(body: string, key: readonly string[]): string {
  const data: Record<string, unknown> = (JSON.parse(body) as { data?: Record<string, unknown> }).data ?? {};
  return JSON.stringify(key.map((k) => data[k] ?? null));
}

/**
 * Forgets, inside the caller's transaction, the identity of every person who holds identity
 * records or identifiers but no fact and no consent record: their `identity_records` (the names,
 * numbers and addresses their facts came with), those records' `identity_keys` and open reviews,
 * their `identifiers` rows, the candidates naming them in other records' reviews, and the
 * operator state naming them. Those came with the facts and have no purpose once the facts are
 * gone (docs/sources.md, §5).
 *
 * Decided here:
 * - By person, not by record: a record is how the resolver recognises the person, and a person
 *   with facts left must still be found by every representation they were seen under.
 * - A consent fact (`credence.opt_in`, `credence.opt_out`) has no retention (no rulebook may
 *   declare a `credence.*` type), so an opted-out person always keeps a fact, and with it the
 *   records that make a later fact about them find them opted out: an opt-out is never forgotten.
 * - A person in a merge whose facts are still to be moved (`identity_moves`) is left alone: their
 *   facts are on their way.
 * - The `subjects` row stays: person ids are handed out by counting it, and an id must never be
 *   handed out twice. It holds the id alone. The identity decisions' history stays too (ids and
 *   operators' notes).
 * - Every person is checked, not only those this purge took facts from, so a database purged
 *   before this rule existed is cleaned by its next purge.
 *
 * The candidates restore (docs/identity.md, "Scale") reads a profile's keys from its first record:
 * when that record goes and a later record of another person has the same profile, the later
 * record is indexed in its place, as the whole restore, meeting it first, registers it.
 */
export function forgetOrphans(db: Database.Database, now: number = Date.now()): ForgottenCount {
  const orphans = db
    .prepare(
      `SELECT subject FROM (SELECT subject FROM identity_records UNION SELECT subject FROM identifiers) s
       WHERE NOT EXISTS (SELECT 1 FROM facts f WHERE f.subject = s.subject)
         AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.subject = s.subject)
         AND NOT EXISTS (SELECT 1 FROM identity_moves m
                         WHERE m.from_subject = s.subject OR m.to_subject = s.subject)
       ORDER BY subject`,
    )
    .pluck()
    .all() as string[];
  if (orphans.length === 0)
    return { people: 0, identityRecords: 0, identifiers: 0, personTokens: forgetPersonTokens(db, now) };
  const gone = new Set(orphans);
  const recordsOf = db.prepare('SELECT seq, record_id, sig, body FROM identity_records WHERE subject = ?');
  const delKey = db.prepare('DELETE FROM identity_keys WHERE key = ? AND seq = ?');
  const delRecord = db
    .prepare(`DELETE FROM identity_records WHERE seq = ? RETURNING ${SEALED_TABLES.identity_records}`)
    .raw();
  const delReview = db
    .prepare(`DELETE FROM identity_reviews WHERE record_id = ? RETURNING ${SEALED_TABLES.identity_reviews}`)
    .raw();
  const delIdentifiers = db
    .prepare(`DELETE FROM identifiers WHERE subject = ? RETURNING ${SEALED_TABLES.identifiers}`)
    .raw();
  const sealed = new TableSealDelta();
  const firstOfSig = db.prepare('SELECT seq, body FROM identity_records WHERE sig = ? ORDER BY seq LIMIT 1');
  const addKey = db.prepare('INSERT OR IGNORE INTO identity_keys (key, seq) VALUES (?, ?)');
  let identityRecords = 0;
  let identifiers = 0;
  const sigs = new Set<number>();
  for (const subject of orphans) {
    const rows = recordsOf.all(subject) as {
      seq: number;
      record_id: string;
      sig: number | null;
      body: string;
    }[];
    for (const r of rows) {
      // `identity_keys` is keyed by key: its rows are found again from the body they were made of.
      // Only a profile's first record has them; deleting another's finds none.
      const p = toProfile(JSON.parse(r.body) as PersonRecord);
      for (const key of indexKeys(p, profileHash(p)).keys)
        if (delKey.run(key, r.seq).changes > 0) sealed.remove('identity_keys', [key, r.seq]);
      sealed.removeAll('identity_records', delRecord.all(r.seq));
      sealed.removeAll('identity_reviews', delReview.all(r.record_id));
      if (r.sig !== null) sigs.add(r.sig);
      identityRecords++;
    }
    identifiers += sealed.removeAll('identifiers', delIdentifiers.all(subject));
  }
  for (const sig of sigs) {
    const first = firstOfSig.get(sig) as { seq: number; body: string } | undefined;
    if (!first) continue;
    const p = toProfile(JSON.parse(first.body) as PersonRecord);
    for (const key of indexKeys(p, sig).keys)
      if (addKey.run(key, first.seq).changes > 0) sealed.add('identity_keys', [key, first.seq]);
  }
  const forgotten = namesForgotten(db, gone);
  forgetInReviews(db, forgotten, sealed);
  forgetInState(db, forgotten, sealed);
  sealed.commit(prepareTableSealStatements(db));
  const personTokens = forgetPersonTokens(db, now);
  return { people: orphans.length, identityRecords, identifiers, personTokens };
}

/** The name a forgotten person's token keeps: the operator's name for it may be the person's. */
export const FORGOTTEN_TOKEN_NAME = '(forgotten)';

/**
 * Revokes, inside the caller's transaction, every person token (`api_keys`, role `person`) of a
 * person who holds nothing any more — no fact, no consent row, no identity record, no identifier,
 * no merge of theirs still moving facts — and blanks the name the operator gave it
 * (`FORGOTTEN_TOKEN_NAME`), which may be the person's own. A token issued for an id merged since
 * is judged by the person the merges lead to. Returns how many rows changed.
 *
 * Decided here:
 * - Revoked, not deleted: keys are never deleted (`GET /v1/keys` pages by key id, and the audit
 *   log names keys by id), a revoked key is refused as a missing one is, and the row left holds
 *   the key id, the person id (kept in `subjects` anyway), the hash of a token that no longer
 *   works and the times.
 * - Every person token is checked, not only this purge's forgotten people, so tokens of people
 *   forgotten before this rule existed go at the next purge.
 * - The `api_keys` seal (`API_KEYS_SEAL`) is kept in the same transaction, as `SqliteKeyStore`
 *   keeps it, so `credence audit verify` passes after. A file never served has no `api_keys`.
 * - A server on the file refuses the token on its next request after this commits, as with any
 *   revocation by another process (`api_key_version`, `Authenticator`).
 */
export function forgetPersonTokens(db: Database.Database, now: number): number {
  if (!hasTable(db, 'api_keys')) return 0;
  const tokens = db
    .prepare(
      `SELECT key_id, subject FROM api_keys
       WHERE role = 'person' AND subject IS NOT NULL AND (revoked_at IS NULL OR name <> ?)`,
    )
    .all(FORGOTTEN_TOKEN_NAME) as { key_id: string; subject: string }[];
  if (tokens.length === 0) return 0;
  const chains = new MergeChains(
    (db.prepare('SELECT body FROM identity_decisions ORDER BY seq').pluck().all() as string[]).map(
      (body) => JSON.parse(body) as MergeStep,
    ),
  );
  const holds = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM facts WHERE subject = @s)
           OR EXISTS (SELECT 1 FROM consents WHERE subject = @s)
           OR EXISTS (SELECT 1 FROM identity_records WHERE subject = @s)
           OR EXISTS (SELECT 1 FROM identifiers WHERE subject = @s)
           OR EXISTS (SELECT 1 FROM identity_moves WHERE from_subject = @s OR to_subject = @s)`,
    )
    .pluck();
  const row = db.prepare(`SELECT ${SEALED_TABLES.api_keys} FROM api_keys WHERE key_id = ?`).raw();
  const forget = db.prepare(
    'UPDATE api_keys SET name = ?, revoked_at = coalesce(revoked_at, ?) WHERE key_id = ?',
  );
  const sealed = new TableSealDelta();
  let n = 0;
  for (const t of tokens) {
    const current = chains.follow(t.subject).current;
    if (holds.get({ s: t.subject }) === 1 || holds.get({ s: current }) === 1) continue;
    sealed.remove('api_keys', row.get(t.key_id) as (string | number | null)[]);
    forget.run(FORGOTTEN_TOKEN_NAME, now, t.key_id);
    sealed.add('api_keys', row.get(t.key_id) as (string | number | null)[]);
    n++;
  }
  const seals =
    hasTable(db, 'table_seals') && (db.pragma('user_version', { simple: true }) as number) >= API_KEYS_SEAL;
  if (seals) sealed.commit(prepareTableSealStatements(db));
  return n;
}

interface Candidate {
  subjectId: string;
}

/**
 * A record in review lists its candidate persons with the evidence, values compared included
 * (`wang vs wang`): the candidates that are forgotten persons go from the open reviews and from the
 * links of records resolved to a review.
 */
function forgetInReviews(
  db: Database.Database,
  forgotten: (subject: string) => boolean,
  sealed: TableSealDelta,
): void {
  const keep = (list: Candidate[] | undefined) => list?.filter((c) => !forgotten(c.subjectId));
  const setItem = db.prepare('UPDATE identity_reviews SET item = ? WHERE record_id = ?');
  const recordRow = db
    .prepare(`SELECT ${SEALED_TABLES.identity_records} FROM identity_records WHERE seq = ?`)
    .raw();
  const reviews = db.prepare('SELECT record_id, item FROM identity_reviews').all() as {
    record_id: string;
    item: string;
  }[];
  for (const r of reviews) {
    const item = JSON.parse(r.item) as { candidates?: Candidate[] };
    const kept = keep(item.candidates);
    if (kept && kept.length !== item.candidates?.length) {
      const text = JSON.stringify({ ...item, candidates: kept });
      setItem.run(text, r.record_id);
      sealed.remove('identity_reviews', [r.record_id, r.item]);
      sealed.add('identity_reviews', [r.record_id, text]);
    }
  }
  const setLink = db.prepare('UPDATE identity_records SET link = ? WHERE seq = ?');
  const links = db.prepare("SELECT seq, link FROM identity_records WHERE decision = 'review'").all() as {
    seq: number;
    link: string;
  }[];
  for (const r of links) {
    const link = JSON.parse(r.link) as { reviewCandidates?: Candidate[] };
    const kept = keep(link.reviewCandidates);
    if (kept && kept.length !== link.reviewCandidates?.length) {
      sealed.replacing('identity_records', recordRow.get(r.seq));
      setLink.run(JSON.stringify({ ...link, reviewCandidates: kept }), r.seq);
      sealed.add('identity_records', recordRow.get(r.seq) as SealedValue[]);
    }
  }
}

/**
 * Whether an id names a forgotten person: itself, or the person it was merged into since (review
 * items and the operator state name persons by the id they had when written; a restore follows the
 * merges to the survivor, `restoreResolver`).
 */
function namesForgotten(db: Database.Database, gone: ReadonlySet<string>): (subject: string) => boolean {
  const chains = new MergeChains(
    (db.prepare('SELECT body FROM identity_decisions ORDER BY seq').pluck().all() as string[]).map(
      (body) => JSON.parse(body) as MergeStep,
    ),
  );
  return (subject) => gone.has(subject) || gone.has(chains.follow(subject).current);
}

/**
 * The operator state: strong keys an operator's split moved (the key's text is the identifier:
 * `n:1101…`) and persons kept apart. Entries naming a forgotten person go.
 */
function forgetInState(
  db: Database.Database,
  forgotten: (subject: string) => boolean,
  sealed: TableSealDelta,
): void {
  const text = db.prepare('SELECT body FROM identity_state WHERE id = 1').pluck().get() as string | undefined;
  if (!text) return;
  const state = JSON.parse(text) as { strong?: [string, string][]; apart?: [string, string][] };
  const strong = (state.strong ?? []).filter(([, s]) => !forgotten(s));
  const apart = (state.apart ?? []).filter(([a, b]) => !forgotten(a) && !forgotten(b));
  if (strong.length === (state.strong ?? []).length && apart.length === (state.apart ?? []).length) return;
  const body = JSON.stringify({ ...state, strong, apart });
  db.prepare('UPDATE identity_state SET body = ? WHERE id = 1').run(body);
  sealed.remove('identity_state', [1, text]);
  sealed.add('identity_state', [1, body]);
}
