import type Database from 'better-sqlite3';
import type { AuditLog } from '../../audit/index.js';
import { type EntryRange, entryRanges, idFamily, type RecordOrigin } from '../../identity/entry-owners.js';
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
): Promise<EntryRange[]> {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
  if (!has.get('identity_decisions')) return [{ subject: person }];
  const decisions = (
    db.prepare('SELECT body FROM identity_decisions ORDER BY seq').pluck().all() as string[]
  ).map((t) => JSON.parse(t) as MergeStep);
  const family = idFamily(person, decisions);
  if (family.splitTo.length === 0) return family.ids.map((subject) => ({ subject }));
  const splitAt = new Map<string, number>();
  for (const id of family.splitTo) {
    const at = (await log.query({ subject: id, actions: SINCE_SPLIT, limit: 1 }))[0]?.seq;
    if (at !== undefined) splitAt.set(id, at);
  }
  const records = db.prepare(
    `SELECT seq, record_id AS recordId, subject,
            coalesce(json_extract(link, '$.subjectId'), subject) AS origin
     FROM identity_records WHERE subject = ?`,
  );
  const held: RecordOrigin[] = [];
  for (const id of family.ids) held.push(...(records.all(id) as RecordOrigin[]));
  return entryRanges(person, family, held, splitAt);
}
