import type Database from 'better-sqlite3';
import { TableSealDelta, type TableSealStatements } from './table-seal.js';

/** How the current build spells an identifier of a kind (`normaliseIdentifier`). */
export type Spell = (kind: string, value: string) => string;

/**
 * Migration 10: every identifier spelled as the current build spells it. How values are
 * normalised changed after rows were stored (a 15-digit resident ID read as its 18-character
 * upgrade, full-width digits and letters folded), and a row in the old spelling was not found by
 * a query in the new one: `credence score 11010519491231002X` said no such person for someone
 * stored as 110105491231002. Each such row is spelled again under the same person. Where the new
 * spelling is stored as well (a later fact sent it, and it was not matched to the old one), the
 * row stored first keeps the identifier, as every identifier keeps the person it first named: the
 * old spelling's person. The seal over the table moves with each row, in the caller's transaction;
 * running it again changes nothing.
 *
 * @returns how many rows were spelled again
 */
export function respellIdentifiers(db: Database.Database, spell: Spell, seal: TableSealStatements): number {
  const stale: [string, string, string, string][] = [];
  for (const [kind, value, subject] of db
    .prepare('SELECT kind, value, subject FROM identifiers')
    .raw()
    .iterate() as IterableIterator<[string, string, string]>) {
    const now = spell(kind, value);
    if (now !== value && now.length > 0) stale.push([kind, value, subject, now]);
  }
  if (stale.length === 0) return 0;
  const sealed = new TableSealDelta();
  const drop = db
    .prepare('DELETE FROM identifiers WHERE kind = ? AND value = ? RETURNING kind, value, subject')
    .raw();
  const held = db.prepare('SELECT subject FROM identifiers WHERE kind = ? AND value = ?').pluck();
  const add = db.prepare('INSERT INTO identifiers (kind, value, subject) VALUES (?, ?, ?)');
  const give = db.prepare('UPDATE identifiers SET subject = ? WHERE kind = ? AND value = ?');
  for (const [kind, value, subject, now] of stale) {
    sealed.removeAll('identifiers', drop.all(kind, value));
    const other = held.get(kind, now) as string | undefined;
    if (other === undefined) add.run(kind, now, subject);
    else if (other !== subject) {
      give.run(subject, kind, now);
      sealed.remove('identifiers', [kind, now, other]);
    } else continue;
    sealed.add('identifiers', [kind, now, subject]);
  }
  sealed.commit(seal);
  return stale.length;
}
