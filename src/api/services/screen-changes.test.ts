import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScreenChanges } from './screen-changes.js';

// Appends are read as a range of `seq`; deletes and moves through the triggers, with the rows a
// deleted highest `seq` handed out again; a reader whose rows another pruned is told so.

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.exec('CREATE TABLE facts (seq INTEGER PRIMARY KEY, subject TEXT NOT NULL, type TEXT, retracts TEXT)');
});
afterEach(() => db.close());

const insert = (subject: string, type = 'court.blacklist_listed'): number =>
  Number(db.prepare('INSERT INTO facts (subject, type) VALUES (?, ?)').run(subject, type).lastInsertRowid);

describe('ScreenChanges', () => {
  it('is absent on a database without facts', () => {
    expect(ScreenChanges.open(new Database(':memory:'))).toBeUndefined();
  });

  it('reads appends, deletions, moves and a reused seq since a mark', () => {
    insert('P1');
    const changes = ScreenChanges.open(db) as ScreenChanges;
    const m0 = changes.mark();
    const top = insert('P2');
    const c1 = changes.since(m0);
    expect(c1.lost).toBe(false);
    if (c1.lost) return;
    expect(c1.appended.map((f) => f.subject)).toEqual(['P2']);
    expect([...c1.rewritten]).toEqual([]);

    // The highest row deleted and its number handed out again to someone else's fact.
    db.prepare('DELETE FROM facts WHERE seq = ?').run(top);
    expect(insert('P3')).toBe(top);
    db.prepare("UPDATE facts SET subject = 'P4' WHERE subject = 'P1'").run();
    const c2 = changes.since(c1.mark);
    if (c2.lost) throw new Error('lost');
    expect(c2.appended.map((f) => f.subject)).toEqual(['P3']);
    expect([...c2.rewritten].sort()).toEqual(['P1', 'P2', 'P4']);

    const c3 = changes.since(c2.mark);
    if (c3.lost) throw new Error('lost');
    expect(c3.appended).toEqual([]);
    expect([...c3.rewritten]).toEqual([]);
  });

  it('tells a reader that rows it had not read were pruned by another', () => {
    insert('P1');
    insert('P2');
    const mine = ScreenChanges.open(db, 1_000) as ScreenChanges;
    const other = ScreenChanges.open(db, 1) as ScreenChanges;
    const m = mine.mark();
    const o = other.mark();
    db.prepare("DELETE FROM facts WHERE subject = 'P1'").run();
    expect(other.since(o).lost).toBe(false); // and prunes the row it read
    expect(mine.since(m).lost).toBe(true);
  });
});
