import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, sealEntry } from '../audit-entry.js';
import { openSqliteAuditLog } from './sqlite-audit-log.js';

let dir: string;
let db: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'credence-audit-live-'));
  db = join(dir, 'credence.db');
  // The log opens an existing file only.
  new Database(db).close();
  const log = await openSqliteAuditLog(db);
  await log.appendMany(
    Array.from({ length: 50 }, (_, i) => ({
      at: i,
      actor: 'a',
      action: 'score.query',
      subject: `P${i % 4}`,
    })),
  );
  await log.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('audit verify on a live log', () => {
  it('entries appended while a verification runs are no false alarm (parallel walk, the built dist/)', async () => {
    const dist = (await import(
      resolve(import.meta.dirname, '../../../dist/audit/index.js')
    )) as typeof import('../index.js');
    const verifier = await dist.openSqliteAuditLog(db);
    const server = await dist.openSqliteAuditLog(db);
    // The head is read when verify() is called; its worker threads read the rows later. These
    // appends commit in between, as a serving API's would.
    const running = verifier.verify(undefined, { workers: 2 });
    await server.appendMany(
      Array.from({ length: 30 }, (_, i) => ({ at: 100 + i, actor: 'b', action: 'score.query' })),
    );
    const report = await running;
    expect(report.problem).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.head.seq).toBe(50);
    // The next verification covers the new entries.
    expect((await verifier.verify(undefined, { workers: 2 })).head.seq).toBe(80);
    await server.close();
    await verifier.close();
  });

  it('an entry stored past the recorded head, around the log, is still named', async () => {
    const raw = new Database(db);
    const head = raw.prepare('SELECT seq, hash FROM audit_head').get() as { seq: number; hash: string };
    const e = sealEntry({ at: 999, actor: 'intruder', action: 'score.query' }, head.seq, head.hash);
    raw
      .prepare(
        'INSERT INTO audit_log (seq, at, actor, action, subject, purpose, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(e.seq, e.at, e.actor, e.action, e.subject, e.purpose, e.detail, e.prevHash, e.hash);
    raw.close();
    const log = await openSqliteAuditLog(db);
    const report = await log.verify();
    await log.close();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: 'head-mismatch', seq: 51 });
  });

  it('a clean empty log verifies', async () => {
    const empty = join(dir, 'empty.db');
    new Database(empty).close();
    const log = await openSqliteAuditLog(empty);
    const report = await log.verify();
    await log.close();
    expect(report).toMatchObject({ ok: true, entries: 0, head: { seq: 0, hash: GENESIS_HASH } });
  });
});
