import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, ok, payment, type RunResult, runCli, type World } from './cli.js';

// Issue #6: "`credence audit verify` passes on a clean log and fails, naming the entry, after any
// edit of the database file". It checked the audit log's own tables only: a fact whose amount,
// date or type was edited with `sqlite3`, a fact deleted or one forged into the file, all
// passed. The real binary, a real database, each edit on a copy of it.

let w: World;
let n = 0;

beforeAll(() => {
  w = makeWorld({ programs: [MARKETPLACE] });
  const lines = Array.from({ length: 12 }, (_, i) =>
    payment(
      `p${i}`,
      `2026-03-${String(i + 1).padStart(2, '0')}T08:00:00Z`,
      { phone: `+861380013800${i % 3}` },
      50 + i,
    ),
  );
  ok(w.run(['ingest', '-'], { input: `${lines.join('\n')}\n` }));
  ok(w.run(['consent', '+8613800138001', '--program', 'marketplace', '--opt-out']));
}, 120_000);
afterAll(() => w?.dispose());

/** `audit verify` on a copy of the database after `edit` ran on it with plain SQL. */
function verifyAfter(edit: (db: Database.Database) => void): RunResult {
  const copy = join(w.dir, `copy${n++}.db`);
  copyFileSync(w.db, copy);
  if (existsSync(`${w.db}-wal`)) copyFileSync(`${w.db}-wal`, `${copy}-wal`);
  const db = new Database(copy);
  edit(db);
  db.close();
  return runCli(['audit', 'verify', '--db', copy]);
}

describe('audit verify after an edit of the facts (real binary, real database)', () => {
  it('passes on the database as Credence left it, and says how many facts it checked', () => {
    const r = ok(runCli(['audit', 'verify', '--db', w.db]));
    expect(r.stdout).toMatch(
      /audit log intact: .*; 13 facts, 1 rulebook versions, \d+ point lines, \d+ cached scores, \d+ identifiers, the persons of 13 facts, 0 API keys, 3 person ids and 3 identity records with the engine's reviews \(0\), decisions \(0\), state and index keys \(\d+\) match their seals, 1 consent rows their facts/,
    );
  });

  it('fails naming the fact whose body was edited (an amount made larger)', () => {
    const r = verifyAfter((db) => {
      const seq = db.prepare("SELECT seq FROM facts WHERE id = 'p4'").pluck().get() as number;
      db.prepare(`UPDATE facts SET body = replace(body, '"amount":54', '"amount":5400') WHERE seq = ?`).run(
        seq,
      );
    });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/facts\[seq=\d+\].*fact pay\/p4 .*body no longer matches/);
    expect(r.stderr).toContain('CREDENCE_E_AUDIT_BROKEN');
  });

  it.each([
    ['a date moved', "UPDATE facts SET at = at - 86400000 WHERE id = 'p7'"],
    ['a type changed', "UPDATE facts SET type = 'payment.defaulted' WHERE id = 'p2'"],
    ['a fact deleted', "DELETE FROM facts WHERE id = 'p9'"],
    [
      'a fact forged (a copy under a new id)',
      `INSERT INTO facts (source, id, subject, type, at, body, hash, retracts, received_at)
       SELECT source, 'p99', subject, type, at, body, hash, retracts, received_at FROM facts WHERE id = 'p1'`,
    ],
    ['the seal deleted', 'DELETE FROM fact_seal'],
    ['a rulebook edited (its YAML)', "UPDATE programs SET yaml = replace(yaml, 'payment', 'paymant')"],
    [
      'a rulebook edited (the spec it compiles from)',
      "UPDATE programs SET spec = replace(spec, 'payment', 'paymant')",
    ],
    ['a cached score raised', 'UPDATE scores SET score = score + 100'],
    ['a point line deleted', 'DELETE FROM ledger WHERE fact_key = (SELECT min(fact_key) FROM ledger)'],
    [
      'a score forged for the person who opted out',
      "INSERT INTO scores SELECT c.subject, c.program, 1, 0, 'scored', 900, 'AAA', NULL FROM consents c WHERE c.action = 'opt-out'",
    ],
    [
      'a rulebook version added',
      'INSERT INTO programs SELECT program, version + 1, name, yaml, effective_from, loaded_at, spec FROM programs',
    ],
  ])('fails after %s, naming what no longer holds', (_, sql) => {
    const r = verifyAfter((db) => db.exec(sql));
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/the database was edited outside Credence/);
    // The ingest's entry holds a checkpoint of the seal: the chain names it, or the seal does.
    expect(r.stderr).toMatch(/audit_log\[seq=\d+\]|fact_seal|facts\b|programs\b|scores\b|ledger\b/);
  });

  it('fails naming the identifiers after a phone was moved to another person (a query by it would answer with their score)', () => {
    const r = verifyAfter((db) => {
      const [a, b] = db
        .prepare('SELECT DISTINCT subject FROM identifiers ORDER BY subject')
        .pluck()
        .all() as string[];
      expect(b, 'two people with identifiers').toBeDefined();
      db.prepare('UPDATE identifiers SET subject = ? WHERE subject = ?').run(b, a);
    });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(
      /identifiers \(the person each ID number, phone or account names\) no longer match their seal/,
    );
  });

  it.each([
    [
      'identity_records',
      'a record linked to another person (the next fact sent with it would go to them)',
      `UPDATE identity_records SET subject = (SELECT max(subject) FROM identity_records)
       WHERE seq = (SELECT min(seq) FROM identity_records)`,
    ],
    [
      'identity_records',
      'a record deleted',
      'DELETE FROM identity_records WHERE seq = (SELECT min(seq) FROM identity_records)',
    ],
    [
      'subjects',
      'a person id deleted (it would be handed out again)',
      'DELETE FROM subjects WHERE id = (SELECT min(id) FROM subjects)',
    ],
    [
      'identity_decisions',
      'an operator decision forged',
      `INSERT INTO identity_decisions (seq, body) VALUES (1, '{"kind":"merge","from":"P0000001","to":"P0000002"}')`,
    ],
    [
      'identity_keys',
      "an index key deleted (the next batch would not find that person's records)",
      'DELETE FROM identity_keys WHERE (key, seq) = (SELECT key, seq FROM identity_keys ORDER BY key, seq LIMIT 1)',
    ],
  ])('fails naming %s after %s', (table, _, sql) => {
    const r = verifyAfter((db) => {
      expect(db.prepare(sql).run().changes).toBeGreaterThan(0);
    });
    expect(r.code).toBe(8);
    expect(r.stderr).toContain(`${table}: `);
    expect(r.stderr).toMatch(/no longer match their seal/);
  });

  it('fails naming facts.subject after a payment was filed under another person (it would count in their score)', () => {
    const r = verifyAfter((db) => {
      const other = db
        .prepare(
          "SELECT subject FROM facts WHERE subject != (SELECT subject FROM facts WHERE id = 'p3') LIMIT 1",
        )
        .pluck()
        .get() as string;
      expect(other, 'a second person').toBeDefined();
      db.prepare("UPDATE facts SET subject = ? WHERE id = 'p3'").run(other);
    });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/facts\.subject/);
    expect(r.stderr).toMatch(/the person each fact is filed under\) no longer match their seal/);
  });

  it('fails naming the ingest entry after the schema version was set back (the later seals would go unchecked)', () => {
    const r = verifyAfter((db) => {
      // A payment filed under another person, with the version set back to before their seal.
      db.exec("UPDATE facts SET subject = (SELECT max(subject) FROM facts) || 'x' WHERE id = 'p3'");
      db.pragma('user_version = 7');
    });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/audit_log\[seq=\d+\]/);
    expect(r.stderr).toMatch(
      /recorded the file at schema version \d+, but the file says 7: its version was set back/,
    );
  });

  it('fails naming the person whose opt-out row was deleted (they would be scored again)', () => {
    const r = verifyAfter((db) => db.exec("DELETE FROM consents WHERE action = 'opt-out'"));
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/consents\[subject=P\d+, program=marketplace, fact=credence\/[^\]]+\]/);
    expect(r.stderr).toMatch(
      /has no consent row: deleted outside Credence \(the person would be scored again/,
    );
  });

  it('still passes after a purge deleted facts past retention and more were ingested', () => {
    const copy = join(w.dir, 'purged.db');
    copyFileSync(w.db, copy);
    if (existsSync(`${w.db}-wal`)) copyFileSync(`${w.db}-wal`, `${copy}-wal`);
    const purged = JSON.parse(
      ok(runCli(['purge', '--as-of', '2040-01-01T00:00:00Z', '--allow-future', '--json', '--db', copy]))
        .stdout,
    ) as { facts: number };
    expect(purged.facts).toBeGreaterThan(0);
    ok(
      runCli(['ingest', '-', '--db', copy], {
        input: `${payment('q1', '2026-04-01T08:00:00Z', { phone: '+8613800138009' })}\n`,
      }),
    );
    expect(ok(runCli(['audit', 'verify', '--db', copy])).stdout).toMatch(/audit log intact/);
  });
});
