import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initDatabase } from '../../src/app.js';
import { openSqliteAuditLog } from '../../src/audit/index.js';

// The by-person index (`audit_subject`) and its mark are derived from the log: an edit that moves
// the mark back or deletes it hides no entry, but it must not make the log unopenable (every
// command and the server open it) nor hide the entries appended after it.

const BIN = resolve(import.meta.dirname, '../../bin/credence.js');
let dir: string;
let db: string;

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, CREDENCE_DB: '', USER: 'qa' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const edit = (sql: string) => {
  const raw = new Database(db);
  raw.exec(sql);
  raw.close();
};

const storedSeqsOf = (subject: string): number[] => {
  const raw = new Database(db, { readonly: true });
  const seqs = raw.prepare('SELECT seq FROM audit_log WHERE subject = ? ORDER BY seq').pluck().all(subject);
  raw.close();
  return seqs as number[];
};

const markOf = (): number | undefined => {
  const raw = new Database(db, { readonly: true });
  const m = raw.prepare('SELECT seq FROM audit_subject_mark WHERE id = 1').pluck().get();
  raw.close();
  return m as number | undefined;
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'credence-audit-mark-'));
  db = join(dir, 'credence.db');
  await initDatabase(db);
  const log = await openSqliteAuditLog(db);
  for (let i = 0; i < 20; i++) {
    await log.append({
      at: 1_000 + i,
      actor: 'key:k1',
      action: 'score.query',
      subject: `P000000${i % 4}`,
      purpose: 'tenancy',
      detail: { score: 600 + i },
    });
  }
  await log.close();
  // Opening again moves all 20 into the index: the mark is at 20.
  await (await openSqliteAuditLog(db)).close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the by-person index mark edited by hand', () => {
  it.each([
    ['moved back', 'UPDATE audit_subject_mark SET seq = 5'],
    ['deleted', 'DELETE FROM audit_subject_mark'],
  ])(
    '%s: verify still checks the log (no crash), and every entry stays in its person’s list',
    async (_what, sql) => {
      expect(markOf()).toBe(20);
      edit(sql);

      const v = cli('audit', 'verify');
      expect(v.err).not.toMatch(/UNIQUE constraint/);
      expect(v.code).toBe(0);
      expect(v.out).toMatch(/audit log intact: 20 entries/);

      const log = await openSqliteAuditLog(db);
      const added = await log.append({
        at: 5_000,
        actor: 'key:k1',
        action: 'score.query',
        subject: 'P0000001',
      });
      const listed = (await log.query({ subject: 'P0000001' })).map((e) => e.seq);
      await log.close();
      expect(listed).toEqual(storedSeqsOf('P0000001'));
      expect(listed).toContain(added.seq);
      expect(markOf()).toBeGreaterThanOrEqual(20);

      const list = cli('audit', 'list', '--subject', 'P0000001', '--json');
      expect(list.err).not.toMatch(/UNIQUE constraint/);
      expect(list.code).toBe(0);
    },
  );
});
