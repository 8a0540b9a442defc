import Database from 'better-sqlite3';
import { sqliteNativeBinding } from '../../store/sqlite/native-binding.js';
import type { DisputeView } from './dispute-service.js';
import {
  anyDisputeView,
  type LinkDisputeView,
  linkDisputeView,
  listAllDisputes,
  listLinkDisputes,
} from './link-dispute-service.js';

/**
 * A person's disputes recorded in a database file (the API keeps them beside the store, in
 * `api_disputes`), in the order the API lists them, of both kinds (facts and identity links),
 * for the CLI's copy of their file; none when the API never ran on the file. Read-only. `facts`:
 * the keys of the facts they hold, whose disputes are theirs whoever opened them.
 *
 * @example
 * storedDisputes('credence.db', ['P0000001'], Date.now()) // [{ id, status: 'open', dueAt: '2026-…Z', … }]
 */
export function storedDisputes(
  dbPath: string,
  subjects: readonly string[],
  now: number,
  facts?: readonly string[],
): (DisputeView | LinkDisputeView)[] {
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
    // Both kinds, in the API's order (a file the API never opened has neither table).
    return has
      ? listAllDisputes(db, { subjects, ...(facts ? { facts } : {}) }, now).map((d) =>
          anyDisputeView(d, 'person'),
        )
      : listLinkDisputes(db, { subjects }, now).map((d) => linkDisputeView(d, 'person'));
  } finally {
    db.close();
  }
}
