import type Database from 'better-sqlite3';
import { CredenceError } from '../../core/errors/index.js';
import type { DisputeClose } from '../store.js';

/**
 * Closes a dispute's row (`api_disputes`, or `api_link_disputes` for a link dispute) from open to
 * its outcome, inside the caller's transaction, and refuses (CREDENCE_E_STATE) when it is no
 * longer open, so the whole transaction rolls back: of two answers to one dispute, from this
 * process or another on the file, the one committed first is kept and the other stores nothing of
 * its own (no retraction or split, no entry).
 *
 * @example
 * db.transaction(() => { closeDisputeRow(db, close); chain.append([entry]); }).immediate();
 */
export function closeDisputeRow(db: Database.Database, c: DisputeClose): void {
  const link = c.kind === 'link';
  const table = link ? 'api_link_disputes' : 'api_disputes';
  const closed = link
    ? db
        .prepare(
          "UPDATE api_link_disputes SET status = ?, resolved_at = ?, note = ?, moved_facts = ?, split_to = ? WHERE id = ? AND status = 'open'",
        )
        .run(c.status, c.resolvedAt, c.note, c.movedFacts ?? null, c.splitTo ?? null, c.id)
    : db
        .prepare(
          "UPDATE api_disputes SET status = ?, resolved_at = ?, note = ? WHERE id = ? AND status = 'open'",
        )
        .run(c.status, c.resolvedAt, c.note, c.id);
  if (closed.changes > 0) return;
  const now = db.prepare(`SELECT status FROM ${table} WHERE id = ?`).pluck().get(c.id) as string | undefined;
  throw new CredenceError(
    now === undefined ? 'CREDENCE_E_NOT_FOUND' : 'CREDENCE_E_STATE',
    now === undefined ? `no dispute "${c.id}"` : `dispute ${c.id} was already ${now}`,
    { field: 'id' },
  );
}
