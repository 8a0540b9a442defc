import type Database from 'better-sqlite3';
import { CredenceError } from '../../core/errors/index.js';
import type { DisputeClose } from '../store.js';

/**
 * Closes a fact dispute's row (`api_disputes`) from open to its outcome, inside the caller's
 * transaction, and refuses (CREDENCE_E_STATE) when it is no longer open, so the whole transaction
 * rolls back: of two answers to one dispute, from this process or another on the file, the one
 * committed first is kept and the other stores nothing of its own (no retraction, no entry).
 *
 * @example
 * db.transaction(() => { closeDisputeRow(db, close); chain.append([entry]); }).immediate();
 */
export function closeDisputeRow(db: Database.Database, c: DisputeClose): void {
  const closed = db
    .prepare("UPDATE api_disputes SET status = ?, resolved_at = ?, note = ? WHERE id = ? AND status = 'open'")
    .run(c.status, c.resolvedAt, c.note, c.id);
  if (closed.changes > 0) return;
  const now = db.prepare('SELECT status FROM api_disputes WHERE id = ?').pluck().get(c.id) as
    | string
    | undefined;
  throw new CredenceError(
    now === undefined ? 'CREDENCE_E_NOT_FOUND' : 'CREDENCE_E_STATE',
    now === undefined ? `no dispute "${c.id}"` : `dispute ${c.id} was already ${now}`,
    { field: 'id' },
  );
}
