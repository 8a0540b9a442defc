import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { startWalCheckpointer as Start } from './wal-checkpointer.js';

// The worker runs compiled JavaScript: this test uses the build the global setup makes in dist/.
const DIST = resolve(import.meta.dirname, '../../../dist/api/sqlite/wal-checkpointer.js');

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credence-ckpt-'));
  path = join(dir, 'wal.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (db: Database.Database, rows: number) => {
  const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run('x'.repeat(200));
  })();
};

describe('the WAL checkpointer', () => {
  it('copies committed pages into the database file from its worker, and the writer no longer does', async () => {
    const { startWalCheckpointer } = (await import(DIST)) as { startWalCheckpointer: typeof Start };
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    const cp = startWalCheckpointer(db, path, 20);
    expect(cp).toBeDefined();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(path).size;
    write(db, 20_000); // ~4 MB: past the 1,000 pages where a commit would checkpoint itself
    // Wait for the whole copy, not its first step: the file grows as the worker's checkpoints go,
    // and on a loaded machine a first one may copy only part of the WAL.
    const deadline = Date.now() + 10_000;
    while (statSync(path).size <= before + 3_000_000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(statSync(path).size).toBeGreaterThan(before + 3_000_000);
    await cp?.stop();
    // Without the worker, commits checkpoint again.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('keeps the WAL bounded while the writer commits without pause', async () => {
    const { startWalCheckpointer } = (await import(DIST)) as { startWalCheckpointer: typeof Start };
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (v TEXT)');
    const restartFrames = 128;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const cp = startWalCheckpointer(db, path, 5, restartFrames);
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    // As the audit log under load: a small commit every 0.2 ms, less than one checkpoint takes
    // (a copy and two syncs), so a commit always lands while a checkpoint runs and none copies
    // the last frame. Each commit writes at least one page: a WAL never started over would end
    // larger than commits × page size (here about 20 MB).
    const walSize = () => statSync(`${path}-wal`).size;
    const commits = 5_000;
    let largest = 0;
    for (let i = 0; i < commits; i++) {
      ins.run('x'.repeat(300));
      if (i % 50 === 0) largest = Math.max(largest, walSize());
      const until = performance.now() + 0.2;
      while (performance.now() < until);
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    largest = Math.max(largest, walSize());
    expect(largest).toBeLessThan((commits * pageSize) / 3);
    await cp?.stop();
    db.close();
  });

  it('does not hold the writer for long while a reader keeps an old snapshot', async () => {
    const { startWalCheckpointer } = (await import(DIST)) as { startWalCheckpointer: typeof Start };
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    db.exec('CREATE TABLE t (v TEXT)');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('first');
    // A reader in one long transaction (as an audit verify or an export is): the WAL cannot start
    // over while it lasts, and a checkpoint that waits for it must not hold the writer meanwhile.
    const reader = new Database(path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    const cp = startWalCheckpointer(db, path, 5, 16);
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    let slowest = 0;
    const end = performance.now() + 1_500;
    while (performance.now() < end) {
      const t0 = performance.now();
      ins.run('x'.repeat(300));
      slowest = Math.max(slowest, performance.now() - t0);
      await new Promise((r) => setTimeout(r, 1));
    }
    reader.exec('COMMIT');
    reader.close();
    await cp?.stop();
    db.close();
    // With the worker's usual 1 s busy timeout, commits waited up to a second at each attempt.
    expect(slowest).toBeLessThan(250);
  });

  it('does nothing for a memory database', async () => {
    const { startWalCheckpointer } = (await import(DIST)) as { startWalCheckpointer: typeof Start };
    const db = new Database(':memory:');
    expect(startWalCheckpointer(db, ':memory:')).toBeUndefined();
    db.close();
  });
});
