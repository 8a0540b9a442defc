import type Database from 'better-sqlite3';
import type { AuditLog } from '../../audit/index.js';
import {
  type EntryRange,
  entryOwner,
  entryRanges,
  idFamily,
  type RecordOrigin,
} from '../../identity/entry-owners.js';
import type { MergeStep } from '../../identity/merge-chain.js';
import { INQUIRY_ACTIONS } from './inquiry-actions.js';

/**
 * Entries that name an id only once it names a person: the split that made it, or an answered
 * inquiry. A refusal may name an id no one holds yet (an operator's mistyped subject), so the
 * first entry of any kind under a split's new id could stand before the split.
 */
const SINCE_SPLIT = ['identity.split', ...INQUIRY_ACTIONS];

/**
 * Where a person's inquiries are filed in the audit log (`EntryRange`s of ids and seqs): under
 * their id and the ids merged into it, and, where an operator split someone, under the ids whose
 * inquiries went with the records the split moved (`entryRanges`). Read on a connection to the
 * store's file. A person no split ever touched costs the one read of the decisions `mergedIds`
 * made before; the records are read only for a family with a split.
 *
 * A split stands among the inquiries where its new id's first entry does (`SINCE_SPLIT`); one
 * with none (its audit entry lost) is taken as made before every inquiry, so its person's id keeps
 * them, as before splits were followed.
 */
export async function inquiryRanges(
  db: Database.Database,
  person: string,
  log: Pick<AuditLog, 'query'>,
  decisions?: readonly MergeStep[],
): Promise<EntryRange[]> {
  const f = await familyOf(db, person, log, decisions);
  if (f === undefined) return [{ subject: person }];
  if (f.records === undefined) return f.family.ids.map((subject) => ({ subject }));
  return entryRanges(person, f.family, f.records, f.splitAt);
}

/**
 * The person an audit entry filed under `subject` (seq `seq`) is about now, by the rules of
 * `inquiryRanges`: `subject` itself where no split touched its family; undefined when nothing of
 * that id's can be followed.
 */
export async function entryPerson(
  db: Database.Database,
  subject: string,
  seq: number,
  log: Pick<AuditLog, 'query'>,
  decisions?: readonly MergeStep[],
): Promise<string | undefined> {
  const f = await familyOf(db, subject, log, decisions);
  if (f === undefined || f.records === undefined) return subject;
  return entryOwner(subject, seq, f.family, f.records, f.splitAt);
}

/**
 * The person a person token bound to `subject` (`keyId`) is for, by the records it was issued
 * over: `subject` while that id holds a record first linked to it (one indexed read, the common
 * case); else, where a split touched the id's family, whoever holds the records the id named when
 * the token was issued (its `key.issue` entry; the id's latest records when none is logged), by
 * the rules of the inquiries (`entryOwner`). That covers an id whose own records a split took (one
 * undoing a merge), and an id merged away whose survivor was split since or merged on after a
 * split: its merges alone lead to a person who may not hold its records. Undefined where no split
 * touched the family (its merges decide) or nothing of the id's can be followed (no record).
 */
export async function tokenPerson(
  db: Database.Database,
  subject: string,
  keyId: string,
  log: Pick<AuditLog, 'query'>,
  decisions?: readonly MergeStep[],
): Promise<string | undefined> {
  if (holdsOwnRecord(db, subject)) return subject;
  const f = await familyOf(db, subject, log, decisions);
  if (f === undefined || f.records === undefined) return undefined;
  // The detail is stored as JSON text; only the id is looked for in it before it is read.
  const issued = (await log.query({ subject, actions: ['key.issue'] })).find(
    (e) => e.detail.includes(keyId) && (JSON.parse(e.detail) as { keyId?: unknown }).keyId === keyId,
  );
  return entryOwner(subject, issued?.seq ?? Number.POSITIVE_INFINITY, f.family, f.records, f.splitAt);
}

/**
 * The person tokens that act for `person` (`tokenPerson`), of `keys`: those bound to an id whose
 * records are theirs by that rule, and, where no split decides it, those bound to their id or an
 * id merged away into theirs (`ids`: theirs and those merged into it, as `mergedIds` gives them).
 * Only ids joined to theirs by merges and splits are looked at.
 */
export async function tokensActingFor<K extends { keyId: string; role: string; subject: string | null }>(
  db: Database.Database,
  person: string,
  ids: readonly string[],
  keys: readonly K[],
  log: Pick<AuditLog, 'query'>,
  decisions?: readonly MergeStep[],
): Promise<K[]> {
  const mine = keys.filter((k) => k.role === 'person' && k.subject !== null);
  if (mine.length === 0) return [];
  const f = await familyOf(db, person, log, decisions);
  const family = new Set(f?.family.ids ?? [person]);
  const out: K[] = [];
  for (const k of mine) {
    const s = k.subject as string;
    if (!family.has(s)) continue;
    const by = await tokenPerson(db, s, k.keyId, log, decisions);
    if (by !== undefined ? by === person : s === person || ids.includes(s)) out.push(k);
  }
  return out;
}

/**
 * Whether `id` holds a record first linked to it (one indexed read): the common case, where
 * nothing of its own was split away and what was filed under it is its own.
 */
export function holdsOwnRecord(db: Database.Database, id: string): boolean {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'identity_records'");
  if (!has.get()) return true;
  return (
    db
      .prepare(
        "SELECT 1 FROM identity_records WHERE subject = ? AND json_extract(link, '$.subjectId') = ? LIMIT 1",
      )
      .get(id, id) !== undefined
  );
}

/**
 * The ids joined to `id` by merges and splits, and, when a split is among them, the records their
 * persons hold and where each split stands among the entries; undefined for a file with no
 * identity tables. `given`: the identity decision log, when the caller has read it (a person's
 * file reads it once for all its parts); read here otherwise.
 */
async function familyOf(
  db: Database.Database,
  id: string,
  log: Pick<AuditLog, 'query'>,
  given?: readonly MergeStep[],
): Promise<
  | { family: Family; records?: undefined; splitAt?: undefined }
  | { family: Family; records: RecordOrigin[]; splitAt: Map<string, number> }
  | undefined
> {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
  if (!has.get('identity_decisions')) return undefined;
  const decisions =
    given ??
    (db.prepare('SELECT body FROM identity_decisions ORDER BY seq').pluck().all() as string[]).map(
      (t) => JSON.parse(t) as MergeStep,
    );
  const family = idFamily(id, decisions);
  if (family.splitTo.length === 0) return { family };
  const splitAt = new Map<string, number>();
  for (const to of family.splitTo) {
    const at = (await log.query({ subject: to, actions: SINCE_SPLIT, limit: 1 }))[0]?.seq;
    if (at !== undefined) splitAt.set(to, at);
  }
  const records = db.prepare(
    `SELECT seq, record_id AS recordId, subject,
            coalesce(json_extract(link, '$.subjectId'), subject) AS origin
     FROM identity_records WHERE subject = ?`,
  );
  const held: RecordOrigin[] = [];
  for (const x of family.ids) held.push(...(records.all(x) as RecordOrigin[]));
  return { family, records: held, splitAt };
}

type Family = ReturnType<typeof idFamily>;
