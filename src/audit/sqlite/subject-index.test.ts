import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit-entry.js';
import { openSqliteAuditLog, SqliteAuditLog } from './sqlite-audit-log.js';
import { auditSchema } from './sqlite-audit-schema.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credence-audit-subject-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (name: string, indexEvery: number): { db: Database.Database; log: SqliteAuditLog } => {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.exec(auditSchema);
  return { db, log: new SqliteAuditLog(db, join(dir, name), { indexEvery }) };
};

describe('entries by person (bulk-filled audit_subject and the tail after its mark)', () => {
  it('a query by subject returns exactly the entries about that person, wherever the mark is', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(fc.option(fc.constantFrom('P1', 'P2', 'P3'), { nil: undefined }), { maxLength: 9 }),
          {
            maxLength: 12,
          },
        ),
        fc.integer({ min: 1, max: 10 }),
        fc.nat({ max: 60 }),
        async (groups, indexEvery, since) => {
          const { db, log } = open(`p${run++}.db`, indexEvery);
          const all: AuditEntry[] = [];
          let at = 0;
          for (const g of groups) {
            // Mixed paths: grouped appends, one transaction for several, one at a time.
            if (g.length % 2 === 0) {
              all.push(
                ...(await Promise.all(
                  g.map((subject) => log.append({ at: at++, actor: 'a', action: 'score.query', subject })),
                )),
              );
            } else {
              all.push(
                ...(await log.appendMany(
                  g.map((subject) => ({ at: at++, actor: 'a', action: 'x', subject })),
                )),
              );
            }
          }
          for (const subject of ['P1', 'P2', 'P3']) {
            expect(await log.query({ subject })).toEqual(all.filter((e) => e.subject === subject));
            expect(await log.query({ subject, since, actions: ['score.query'], limit: 3 })).toEqual(
              all
                .filter((e) => e.subject === subject && e.at >= since && e.action === 'score.query')
                .slice(0, 3),
            );
          }
          await log.close();
          db.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a log written under the old per-entry index is caught up when opened, and still verifies', async () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,
      action TEXT NOT NULL, subject TEXT, purpose TEXT, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
      CREATE INDEX audit_log_subject ON audit_log (subject, seq) WHERE subject IS NOT NULL;
      CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);`);
    // Entries sealed by the current code but stored under the old schema.
    const scratch = open('scratch.db', 1_000_000);
    const written = await scratch.log.appendMany(
      Array.from({ length: 30 }, (_, i) => ({ at: i, actor: 'a', action: 'x', subject: `P${i % 4}` })),
    );
    const ins = old.prepare('INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const e of written)
      ins.run(e.seq, e.at, e.actor, e.action, e.subject, e.purpose, e.detail, e.prevHash, e.hash);
    const last = written.at(-1) as AuditEntry;
    old.prepare('INSERT INTO audit_head VALUES (1, ?, ?)').run(last.seq, last.hash);
    old.close();
    await scratch.log.close();
    scratch.db.close();

    const log = await openSqliteAuditLog(path);
    expect(await log.query({ subject: 'P2' })).toEqual(written.filter((e) => e.subject === 'P2'));
    expect((await log.verify()).ok).toBe(true);
    await log.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT seq FROM audit_subject_mark').pluck().get()).toBe(30);
    expect(
      raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'audit_log_subject'").pluck().get(),
    ).toBe(0);
    raw.close();
  });
});
