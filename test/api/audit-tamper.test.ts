import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initDatabase } from '../../src/app.js';
import {
  type AuditEntry,
  AuditVerifier,
  GENESIS_HASH,
  openSqliteAuditLog,
  sealEntry,
} from '../../src/audit/index.js';

const BIN = resolve(import.meta.dirname, '../../bin/credence.js');
let dir: string;
let db: string;

const verifyCli = () => {
  const r = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, CREDENCE_DB: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** Edits the file as an attacker would: another connection, the guard triggers dropped. */
const tamper = (sql: string, ...args: unknown[]) => {
  const raw = new Database(db);
  raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  raw.prepare(sql).run(...args);
  raw.close();
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'credence-audit-'));
  db = join(dir, 'credence.db');
  await initDatabase(db);
  const log = await openSqliteAuditLog(db);
  for (let i = 0; i < 20; i++) {
    await log.append({
      at: 1_000 + i,
      actor: `key:k${i % 3}`,
      action: 'score.query',
      subject: `P000000${i % 5}`,
      purpose: 'tenancy',
      detail: { score: 600 + i },
    });
  }
  await log.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('credence audit verify (the real binary)', () => {
  it('passes on a clean log', () => {
    const r = verifyCli();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/audit log intact: 20 entries/);
  });

  it('an UPDATE through SQL is refused by the append-only guard', async () => {
    const raw = new Database(db);
    expect(() => raw.prepare('UPDATE audit_log SET purpose = ? WHERE seq = 3').run('marketing')).toThrow(
      /append-only/,
    );
    expect(() => raw.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    raw.close();
  });

  it.each([
    ['a changed purpose', 'UPDATE audit_log SET purpose = ? WHERE seq = 7', ['marketing'], 7, /changed/],
    ['a changed detail', 'UPDATE audit_log SET detail = ? WHERE seq = 12', ['{"score":999}'], 12, /changed/],
    ['a deleted entry', 'DELETE FROM audit_log WHERE seq = ?', [5], 5, /missing/],
    ['a cut tail', 'DELETE FROM audit_log WHERE seq >= ?', [18], 18, /missing|cut/],
    ['a moved entry', 'UPDATE audit_log SET seq = 100 WHERE seq = ?', [9], 9, /missing/],
  ] as const)('fails on %s, naming the entry', (_what, sql, args, seq, kind) => {
    tamper(sql, ...args);
    const r = verifyCli();
    expect(r.code).toBe(8);
    expect(r.err).toContain(`audit log broken at entry ${seq}`);
    expect(r.err).toMatch(kind);
    expect(r.err).toContain('CREDENCE_E_AUDIT_BROKEN');
  });

  it('fails on two entries swapped', () => {
    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_log_no_update;');
    raw.exec(
      'UPDATE audit_log SET seq = -1 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = -1;',
    );
    raw.close();
    const r = verifyCli();
    expect(r.code).toBe(8);
    expect(r.err).toContain('audit log broken at entry 4');
  });
});

describe('AuditVerifier (property)', () => {
  const chain = (n: number): AuditEntry[] => {
    const out: AuditEntry[] = [];
    let prev = { seq: 0, hash: GENESIS_HASH };
    for (let i = 0; i < n; i++) {
      const e = sealEntry(
        { at: i, actor: 'a', action: 'x', subject: `s${i % 3}`, detail: { i } },
        prev.seq,
        prev.hash,
      );
      out.push(e);
      prev = e;
    }
    return out;
  };
  const run = (entries: AuditEntry[], head: { seq: number; hash: string }) => {
    const v = new AuditVerifier();
    for (const e of entries) if (!v.push(e)) break;
    return v.finish(head);
  };

  it('any single change, deletion or swap is caught at the first affected entry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.nat(),
        fc.constantFrom('change', 'delete', 'swap'),
        (n, k, op) => {
          const entries = chain(n);
          const head = { seq: n, hash: (entries.at(-1) as AuditEntry).hash };
          expect(run(entries, head).ok).toBe(true);
          const i = k % (op === 'swap' ? n - 1 : n);
          const bad = [...entries];
          if (op === 'change') bad[i] = { ...(bad[i] as AuditEntry), actor: 'b' };
          else if (op === 'delete') bad.splice(i, 1);
          else [bad[i], bad[i + 1]] = [bad[i + 1] as AuditEntry, bad[i] as AuditEntry];
          const r = run(bad, head);
          expect(r.ok).toBe(false);
          expect(r.problem?.seq).toBe(i + 1);
        },
      ),
    );
  });
});

describe("the subject index a person's inquiry list is read through", () => {
  /** As the log's bulk fill does every 2,048 entries: every entry so far moved into audit_subject. */
  const indexAll = () => {
    const raw = new Database(db);
    raw.exec(`INSERT INTO audit_subject (subject, seq) SELECT subject, seq FROM audit_log
      WHERE subject IS NOT NULL AND seq > (SELECT seq FROM audit_subject_mark) ORDER BY subject, seq;
      UPDATE audit_subject_mark SET seq = (SELECT max(seq) FROM audit_log);`);
    raw.close();
  };
  const listCli = (subject: string) =>
    spawnSync(process.execPath, [BIN, 'audit', 'list', '--subject', subject, '--db', db], {
      encoding: 'utf8',
      env: { ...process.env, CREDENCE_DB: '' },
    }).stdout;

  it('a row deleted from audit_subject (an inquiry hidden from its person) fails verification at that entry', () => {
    indexAll();
    expect(verifyCli().code).toBe(0);
    // Entry 7 is about P0000001 (i = 6): delete its index row and the person no longer sees it.
    tamper("DELETE FROM audit_subject WHERE subject = 'P0000001' AND seq = ?", 7);
    expect(listCli('P0000001')).not.toMatch(/^7\t/m);
    const r = verifyCli();
    expect(r.code).toBe(8);
    expect(r.err).toMatch(/audit log broken at entry 7\b/);
    expect(r.err).toMatch(/unindexed: entry 7 \(about P0000001\) is missing from the subject index/);
  });

  it('a mark moved past the last entry (hiding the next appends) fails verification', () => {
    indexAll();
    tamper('UPDATE audit_subject_mark SET seq = ?', 1_000);
    const r = verifyCli();
    expect(r.code).toBe(8);
    expect(r.err).toMatch(/unindexed: the subject index claims entries up to 1000, past the last entry 20/);
  });

  it("a row forged into audit_subject never shows a person another person's entry", async () => {
    indexAll();
    // Entry 2 is about P0000001; claim it for P0000004 too.
    tamper("INSERT INTO audit_subject (subject, seq) VALUES ('P0000004', ?)", 2);
    const log = await openSqliteAuditLog(db);
    const seen = await log.query({ subject: 'P0000004' });
    await log.close();
    expect(seen.map((e) => e.subject)).toEqual(['P0000004', 'P0000004', 'P0000004', 'P0000004']);
  });
});

describe('parallel verification (worker threads, the built dist/)', () => {
  it('each worker checks the subject index of its slice', async () => {
    const dist = (await import(
      resolve(import.meta.dirname, '../../dist/audit/index.js')
    )) as typeof import('../../src/audit/index.js');
    const log = await dist.openSqliteAuditLog(db);
    await log.appendMany(
      Array.from({ length: 980 }, (_, i) => ({
        at: i,
        actor: 'a',
        action: 'score.query',
        subject: `S${i % 7}`,
      })),
    );
    await log.close();
    const raw = new Database(db);
    raw.exec(`INSERT INTO audit_subject (subject, seq) SELECT subject, seq FROM audit_log
      WHERE subject IS NOT NULL AND seq > (SELECT seq FROM audit_subject_mark) ORDER BY subject, seq;
      UPDATE audit_subject_mark SET seq = (SELECT max(seq) FROM audit_log);`);
    raw.close();
    const clean = await dist.openSqliteAuditLog(db);
    expect((await clean.verify(undefined, { workers: 3 })).ok).toBe(true);
    await clean.close();
    tamper('DELETE FROM audit_subject WHERE seq IN (?, ?)', 900, 700);
    const again = await dist.openSqliteAuditLog(db);
    const par = await again.verify(undefined, { workers: 3 });
    await again.close();
    expect(par.problem).toMatchObject({ kind: 'unindexed', seq: 700 });
  });

  it('finds the same first bad entry as the sequential walk', async () => {
    const dist = (await import(
      resolve(import.meta.dirname, '../../dist/audit/index.js')
    )) as typeof import('../../src/audit/index.js');
    const log = await dist.openSqliteAuditLog(db);
    await log.appendMany(
      Array.from({ length: 980 }, (_, i) => ({ at: i, actor: 'a', action: 'score.query', detail: { i } })),
    );
    expect((await log.verify(undefined, { workers: 3 })).ok).toBe(true);
    await log.close();
    for (const [sql, seq] of [
      ['UPDATE audit_log SET actor = ? WHERE seq = 700', 700],
      ['UPDATE audit_log SET actor = ? WHERE seq = 334', 334],
      ['DELETE FROM audit_log WHERE seq = 333 AND ? IS NOT NULL', 333],
    ] as const) {
      tamper(sql, 'x');
      const again = await dist.openSqliteAuditLog(db);
      const par = await again.verify(undefined, { workers: 3 });
      const seqReport = await again.verify(undefined, { workers: 1 });
      await again.close();
      expect(par.ok).toBe(false);
      expect(par.problem?.seq).toBe(seqReport.problem?.seq);
      expect(par.problem?.seq).toBeLessThanOrEqual(seq);
    }
  });
});
