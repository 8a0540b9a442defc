import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from '../audit-entry.js';
import { appendToAuditLog } from './append-entries.js';
import { openSqliteAuditLog } from './sqlite-audit-log.js';
import { SUBJECT_INDEX_EVERY } from './sqlite-audit-schema.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credence-audit-append-'));
  path = join(dir, 'a.db');
  // A store's file: it exists and holds other tables, but no audit tables yet.
  const db = new Database(path);
  db.exec('CREATE TABLE facts (id TEXT)');
  db.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('appendToAuditLog (the CLI appender)', () => {
  it("creates the log in a store's file and keeps one chain with the adapter's appends", async () => {
    const first = appendToAuditLog(path, [
      { at: 1, actor: 'cli:ana', action: 'score.read', subject: 'P1', detail: { program: 'm' } },
      { at: 1, actor: 'cli:ana', action: 'screen.run', detail: { candidates: 0 } },
    ]);
    expect(first.map((e) => e.seq)).toEqual([1, 2]);
    expect(first[0]?.prevHash).toBe(GENESIS_HASH);
    const log = await openSqliteAuditLog(path);
    try {
      await log.append({ at: 2, actor: 'key:k', action: 'score.query', subject: 'P1', purpose: 'tenancy' });
      appendToAuditLog(path, [{ at: 3, actor: 'cli:ana', action: 'file.export', subject: 'P1' }]);
      await log.append({ at: 4, actor: 'key:k', action: 'score.query', subject: 'P2' });
      const all = await log.query({});
      expect(all.map((e) => [e.seq, e.action])).toEqual([
        [1, 'score.read'],
        [2, 'screen.run'],
        [3, 'score.query'],
        [4, 'file.export'],
        [5, 'score.query'],
      ]);
      let prev = GENESIS_HASH;
      for (const e of all) {
        expect(e.prevHash).toBe(prev);
        expect(e.hash).toBe(entryHash(e));
        prev = e.hash;
      }
      expect(await log.head()).toEqual({ seq: 5, hash: prev });
      expect((await log.query({ subject: 'P1' })).map((e) => e.seq)).toEqual([1, 3, 4]);
      expect((await log.verify()).ok).toBe(true);
    } finally {
      await log.close();
    }
  });

  it('moves a long tail into the by-person index, as the adapter does, and verify checks it', async () => {
    const n = SUBJECT_INDEX_EVERY + 10;
    appendToAuditLog(
      path,
      Array.from({ length: n }, (_, i) => ({
        at: i,
        actor: 'cli:ana',
        action: 'score.read',
        subject: `P${i % 5}`,
      })),
    );
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT seq FROM audit_subject_mark').pluck().get()).toBe(n);
      expect(db.prepare('SELECT count(*) FROM audit_subject').pluck().get()).toBe(n);
    } finally {
      db.close();
    }
    const log = await openSqliteAuditLog(path);
    try {
      expect((await log.query({ subject: 'P3' })).length).toBe(Math.floor((n - 4) / 5) + 1);
      expect((await log.verify()).ok).toBe(true);
    } finally {
      await log.close();
    }
  });

  it('a failed append stores nothing and says where', () => {
    appendToAuditLog(path, [{ at: 1, actor: 'cli:ana', action: 'x' }]);
    const db = new Database(path);
    db.exec(
      "CREATE TRIGGER full BEFORE INSERT ON audit_log WHEN NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'no room'); END",
    );
    db.close();
    expect(() =>
      appendToAuditLog(path, [
        { at: 2, actor: 'cli:ana', action: 'screen.run' },
        { at: 2, actor: 'cli:ana', action: 'screen.query', subject: 'P1' },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'CREDENCE_E_DB',
        message: expect.stringContaining(`${path}: no room`),
      }),
    );
    const check = new Database(path, { readonly: true });
    try {
      expect(check.prepare('SELECT seq FROM audit_head').pluck().get()).toBe(1);
      expect(check.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(1);
    } finally {
      check.close();
    }
    expect(() => appendToAuditLog(join(dir, 'none.db'), [{ at: 1, actor: 'a', action: 'x' }])).toThrow(
      expect.objectContaining({ code: 'CREDENCE_E_DB' }),
    );
  });
});
