import Database from 'better-sqlite3';
import { type AuditLog, openSqliteAuditLog } from '../../audit/index.js';
import type { MergeStep } from '../../identity/merge-chain.js';
import { sqliteNativeBinding } from '../../store/sqlite/native-binding.js';
import { INQUIRY_ACTIONS } from './inquiry-actions.js';
import { inquiryRanges, tokensActingFor } from './inquiry-ranges.js';
import { type InquiryWords, NO_WORDS } from './inquiry-words.js';
import {
  type Inquiry,
  type IssuedKey,
  type PersonToken,
  personTokens,
  toInquiry,
} from './person-file-service.js';

/**
 * Every inquiry about a person recorded in a database file's audit log, oldest first, for the
 * CLI's copy of their file: the API writes the log into the same file. Those filed under ids
 * merged into theirs, or that went with records a split moved to them, too, as the API's list
 * has them (`inquiryRanges`). A database that was never served has no log and no keys, hence no
 * inquiries. Read-only: reading a file writes nothing. `decisions`: the identity decision log,
 * when the caller has read it (the export reads it once for the whole file).
 *
 * @example
 * await storedInquiries('credence.db', 'P0000001') // [{ who: 'Acme Rentals', purpose: 'rental', … }]
 */
export async function storedInquiries(
  dbPath: string,
  subject: string,
  words: InquiryWords = NO_WORDS,
  decisions?: readonly MergeStep[],
): Promise<Inquiry[]> {
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  let names: Map<string, string>;
  let log: AuditLog | undefined;
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
    if (!has.get('audit_log')) return [];
    names = new Map(
      has.get('api_keys')
        ? (db.prepare('SELECT key_id, name FROM api_keys').raw().all() as [string, string][])
        : [],
    );
    log = await openSqliteAuditLog(dbPath, { readonly: true });
    const ranges = await inquiryRanges(db, subject, log, decisions);
    const entries = [];
    for (const r of ranges) {
      const read = await log.query({
        subject: r.subject,
        actions: INQUIRY_ACTIONS,
        ...(r.after !== undefined ? { afterSeq: r.after } : {}),
      });
      entries.push(...(r.before === undefined ? read : read.filter((e) => e.seq < (r.before as number))));
    }
    entries.sort((a, b) => a.seq - b.seq);
    return entries.map((e) => toInquiry(e, names, words));
  } finally {
    db.close();
    await log?.close();
  }
}

/**
 * The person tokens that act for a person (bound to their id, an id merged into theirs, or one a
 * split took their records from: `tokensActingFor`) in a database file, with their uses, as the
 * API's copy of the file lists them (`personTokens`), for the CLI's copy. A file never served has
 * no keys, hence none. `ids`: theirs and those merged into it; `decisions` as `storedInquiries`.
 */
export async function storedTokens(
  dbPath: string,
  person: string,
  ids: readonly string[],
  decisions?: readonly MergeStep[],
): Promise<PersonToken[]> {
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  let log: AuditLog | undefined;
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
    if (!has.get('api_keys')) return [];
    const keys = db
      .prepare(
        `SELECT key_id AS keyId, name, role, subject, created_at AS createdAt, revoked_at AS revokedAt
         FROM api_keys WHERE role = 'person'`,
      )
      .all() as IssuedKey[];
    if (keys.length === 0) return [];
    if (has.get('audit_log') !== 1) return personTokens(keys, ids, async () => []);
    log = await openSqliteAuditLog(dbPath, { readonly: true });
    const theirs = await tokensActingFor(db, person, ids, keys, log, decisions);
    const bound = [...new Set([...ids, ...theirs.map((k) => k.subject as string)])];
    const opened = log;
    return await personTokens(theirs, bound, (s) => opened.query({ subject: s }));
  } finally {
    db.close();
    await log?.close();
  }
}
