import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld } from './cli.js';

const w = makeWorld({ programs: [MARKETPLACE] });
afterAll(() => w.dispose());

describe('a database another process holds the write lock of (real binary, real file)', () => {
  // Past SQLite's busy timeout, ingest printed only "error: database is locked" (better-sqlite3's
  // own message), with no catalogue code: a script could not tell it from any other failure.
  it('is CREDENCE_E_DB, exit 1, saying it is locked by another writer; nothing is stored', () => {
    const facts = join(w.dir, 'facts.jsonl');
    writeFileSync(
      facts,
      `${JSON.stringify({ id: 'p1', source: 'pay', type: 'payment.completed', occurredAt: '2026-06-01T00:00:00Z', subject: { phone: '+8613800138000' }, data: { amount: 10 } })}\n`,
    );
    // A first ingest leaves the writer table in place, so the lock is met claiming the file.
    expect(w.run(['ingest', facts]).code).toBe(0);
    writeFileSync(
      facts,
      `${JSON.stringify({ id: 'p2', source: 'pay', type: 'payment.completed', occurredAt: '2026-06-02T00:00:00Z', subject: { phone: '+8613800138000' }, data: { amount: 10 } })}\n`,
    );
    const holder = new Database(w.db);
    holder.exec('BEGIN IMMEDIATE');
    let r: ReturnType<typeof w.run>;
    try {
      r = w.run(['ingest', facts]);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: database .*credence\.db is locked by another process writing it[^\n]*\n {2}\[CREDENCE_E_DB\]\n$/,
    );
    const db = new Database(w.db, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM facts').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
    // Once the lock is let go, the same command stores the fact.
    expect(w.run(['ingest', facts]).code).toBe(0);
  });
});
