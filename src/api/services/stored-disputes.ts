import Database from 'better-sqlite3';
import { sqliteNativeBinding } from '../../store/sqlite/native-binding.js';
import { type DisputeView, disputeView, listDisputes } from './dispute-service.js';
import { type LinkDisputeView, linkDisputeView, listLinkDisputes } from './link-dispute-service.js';

/**
 * A person's disputes recorded in a database file (the API keeps them beside the store, in
 * `api_disputes`), in the order the API lists them, for the CLI's copy of their file; none when
 * the API never ran on the file. Read-only.
 *
 * @example
 * storedDisputes('credence.db', ['P0000001'], Date.now()) // [{ id, status: 'open', dueAt: '2026-…Z', … }]
 */
export function storedDisputes(dbPath: string, subjects: readonly string[], now: number): DisputeView[] {
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  try {
    db.pragma('busy_timeout = 10000');
    const has = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'api_disputes'")
      .get();
    return has ? listDisputes(db, { subjects }, now).map(disputeView) : [];
  } finally {
    db.close();
  }
}

/**
 * A person's disputes of identity links recorded in a database file (`api_link_disputes`), in
 * the order the API lists them; none when the API never ran on the file. Read-only. (For
 * `credence export`, which lists fact disputes only so far.)
 *
 * @example
 * storedLinkDisputes('credence.db', ['P0000001'], Date.now()) // [{ id, kind: 'link', record: 'R…', … }]
 */
export function storedLinkDisputes(
  dbPath: string,
  subjects: readonly string[],
  now: number,
): LinkDisputeView[] {
  const db = new Database(dbPath, {
    readonly: true,
    fileMustExist: true,
    nativeBinding: sqliteNativeBinding(),
  });
  try {
    db.pragma('busy_timeout = 10000');
    return listLinkDisputes(db, { subjects }, now).map((d) => linkDisputeView(d, 'person'));
  } finally {
    db.close();
  }
}
