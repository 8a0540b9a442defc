import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from '../audit-entry.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';
import { auditSchema } from './sqlite-audit-schema.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credence-audit-group-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a group commit of many appends (several rows per INSERT statement)', () => {
  it('stores every entry of a turn in order, chained, each promise holding its own entry', async () => {
    const path = join(dir, 'g.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(auditSchema);
    const log = new SqliteAuditLog(db, path);
    try {
      // Group sizes around and across the rows one statement carries, one turn each.
      let at = 0;
      for (const n of [1, 15, 16, 17, 33, 50]) {
        const entries = await Promise.all(
          Array.from({ length: n }, (_, k) =>
            log.append({
              at: at++,
              actor: 'key:k',
              action: 'score.query',
              subject: `P${k % 7}`,
              purpose: k % 2 ? 'tenancy' : undefined,
              detail: { k, n },
            }),
          ),
        );
        entries.forEach((e, k) => {
          expect(e.detail).toBe(`{"k":${k},"n":${n}}`);
          expect(e.subject).toBe(`P${k % 7}`);
        });
      }
      const stored = await log.query({});
      expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 132 }, (_, k) => k + 1));
      expect(stored.map((e) => e.at)).toEqual(Array.from({ length: 132 }, (_, k) => k));
      let prev = GENESIS_HASH;
      for (const e of stored) {
        expect(e.prevHash).toBe(prev);
        expect(e.hash).toBe(entryHash(e));
        prev = e.hash;
      }
      expect(await log.head()).toEqual({ seq: 132, hash: prev });
      expect((await log.query({ subject: 'P3' })).length).toBe(
        stored.filter((e) => e.subject === 'P3').length,
      );
      expect((await log.verify()).ok).toBe(true);
    } finally {
      await log.close();
    }
  });

  it('a group that fails stores none of its entries and rejects every caller', async () => {
    const path = join(dir, 'f.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(auditSchema);
    const log = new SqliteAuditLog(db, path);
    try {
      await log.append({ at: 0, actor: 'a', action: 'x' });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, k) =>
          log.append({ at: k, actor: 'a', action: 'x', detail: k === 18 ? { n: 1n } : { k } }),
        ),
      );
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect((await log.head()).seq).toBe(1);
      expect((await log.query({})).length).toBe(1);
    } finally {
      await log.close();
    }
  });

  it("appendThen shares the turn's commit with append, in call order, and tells every caller even if one throws", async () => {
    const path = join(dir, 't.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(auditSchema);
    const log = new SqliteAuditLog(db, path);
    try {
      const told: number[] = [];
      const promised: Promise<unknown>[] = [];
      for (let k = 0; k < 6; k++) {
        if (k % 2) promised.push(log.append({ at: k, actor: 'a', action: 'x', detail: { k } }));
        else
          log.appendThen({ at: k, actor: 'a', action: 'x', detail: { k } }, (err, e) => {
            expect(err).toBeNull();
            told.push(e?.seq ?? -1);
            if (k === 2) throw new Error('a caller that throws');
          });
      }
      // close() flushes this turn's group now: the callback's error comes out of it, after all were
      // told, and the connection is closed all the same.
      await expect(log.close()).rejects.toThrow('a caller that throws');
      expect(told).toEqual([1, 3, 5]);
      expect((await Promise.all(promised)).map((e) => (e as { seq: number }).seq)).toEqual([2, 4, 6]);
      expect(db.open).toBe(false);
    } finally {
      if (db.open) db.close();
    }
    const again = new Database(path);
    const log2 = new SqliteAuditLog(again, path);
    try {
      expect((await log2.query({})).map((e) => e.detail)).toEqual(
        Array.from({ length: 6 }, (_, k) => `{"k":${k}}`),
      );
      expect((await log2.verify()).ok).toBe(true);
    } finally {
      await log2.close();
    }
  });
});
