import type Database from 'better-sqlite3';
import { TableSealDelta, type TableSealStatements } from './table-seal.js';

/**
 * How the current build spells an identifier of a kind held by `subject` (`normaliseIdentifier`,
 * and for a passport the country its holder's records sent).
 */
export type Spell = (kind: string, value: string, subject: string) => string;

/**
 * The current build's spelling over a database: `normaliseIdentifier` (phones in E.164 when valid,
 * resident IDs upgraded), and a passport stored by its number alone keyed `COUNTRY:NUMBER` when a
 * record of its holder sent it with a country (the first such record, in arrival order). A row
 * alone cannot say its passport's country, and a number with none is kept as it is. Loaded only
 * for a file that needs it: the normaliser brings libphonenumber-js on the first phone.
 */
export async function identifierSpeller(): Promise<(db: Database.Database) => Spell> {
  const { normaliseIdentifier, subjectIdentifiers } = await import('../../ingest/resolve/identifiers.js');
  return (db) => {
    const bodies = db.prepare('SELECT body FROM identity_records WHERE subject = ? ORDER BY seq').pluck();
    return (kind, value, subject) => {
      const now = normaliseIdentifier(kind, value);
      if (kind !== 'passport_number' || now.includes(':')) return now;
      for (const body of bodies.iterate(subject) as IterableIterator<string>) {
        const id = subjectIdentifiers(JSON.parse(body)).find((i) => i.kind === kind);
        if (id?.value.endsWith(`:${now}`)) return id.value;
      }
      return now;
    };
  };
}

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
  // Read whole before any row moves (the spelling of a passport reads the records as it goes).
  const stale: [string, string, string, string][] = [];
  for (const [kind, value, subject] of db
    .prepare('SELECT kind, value, subject FROM identifiers')
    .raw()
    .iterate() as IterableIterator<[string, string, string]>) {
    const now = spell(kind, value, subject);
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
