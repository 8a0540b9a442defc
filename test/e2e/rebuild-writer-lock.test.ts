import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateJsonl, recentEnd } from '../../src/generate/index.js';
import {
  BIN,
  CITY_CIVIC,
  countFacts,
  dumpDatabase,
  MARKETPLACE,
  makeWorld,
  ok,
  ROOT,
  spawnCli,
  type World,
} from './cli.js';

// `credence rebuild` took no writer lock: an ingest, import or purge of another process beside it
// was lost from the ledgers it re-derived from facts read before, or counted twice. It now claims
// the database as they do, and each refuses while the other runs, naming the one running.
const COURT_LIST = join(ROOT, 'examples/sources/samples/court-2026-06.csv');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The command and process recorded as the database's writer, if any. */
function writer(path: string): { command: string; pid: number } | undefined {
  const db = new Database(path, { readonly: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'cli_writer'").get();
    if (!has) return undefined;
    return db.prepare('SELECT command, pid FROM cli_writer WHERE id = 1').get() as
      | { command: string; pid: number }
      | undefined;
  } finally {
    db.close();
  }
}

/** Whether no connection holds SQLite's write lock now. */
function writeLockFree(path: string): boolean {
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 0');
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

describe('credence rebuild and the other writers of a database (two real processes)', () => {
  const worlds: World[] = [];
  const world = (): World => {
    const w = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    worlds.push(w);
    return w;
  };
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  it('a rebuild (and a purge) is refused while an ingest runs, naming it; after it, both run', async () => {
    const w = world();
    const lines = [...generateJsonl({ people: 200, seed: 8, days: 364, end: recentEnd() })];
    // The ingest reads standard input: it runs, holding the database, until the rest is sent.
    const ingest = spawn(process.execPath, [BIN, 'ingest', '-', '--db', w.db, '--batch-size', '100'], {
      cwd: w.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    ingest.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = new Promise<number | null>((resolve) => ingest.on('exit', (c) => resolve(c)));
    ingest.stdin.write(lines.slice(0, 300).join(''));
    for (let i = 0; i < 1000 && countFacts(w.db) < 100; i++) await sleep(10);
    expect(writer(w.db)).toEqual({ command: 'ingest', pid: ingest.pid });
    for (const args of [['rebuild'], ['purge']]) {
      const r = w.run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(5);
      expect(r.stderr).toMatch(
        new RegExp(
          `another credence ingest \\(process ${ingest.pid}, since .*\\) is writing to .*credence\\.db`,
        ),
      );
      expect(r.stderr).toContain('[CREDENCE_E_STATE]');
    }
    // A purge that only counts writes nothing: it is not refused.
    ok(w.run(['purge', '--dry-run']));
    ingest.stdin.end(lines.slice(300).join(''));
    expect(await code, stderr).toBe(0);
    expect(writer(w.db)).toBeUndefined();

    const before = dumpDatabase(w.db);
    ok(w.run(['rebuild']));
    ok(w.run(['purge']));
    expect(dumpDatabase(w.db).ledger).toEqual(before.ledger);
  });

  it('an ingest, an import and a purge are refused while a rebuild runs, naming it; the rebuild then ends as alone', async () => {
    const w = world();
    const file = join(w.dir, 'facts.jsonl');
    writeFileSync(file, [...generateJsonl({ people: 1500, seed: 9, days: 364, end: recentEnd() })].join(''));
    ok(w.run(['ingest', file]));
    const alone = dumpDatabase(w.db);

    const rebuild = spawnCli(['rebuild', '--db', w.db], w.dir);
    let stderr = '';
    rebuild.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = new Promise<number | null>((resolve) => rebuild.on('exit', (c) => resolve(c)));
    const pid = rebuild.pid ?? -1;
    for (let i = 0; i < 3000 && writer(w.db)?.pid !== pid; i++) await sleep(2);
    expect(writer(w.db)).toEqual({ command: 'rebuild', pid });
    // Held still between two of its transactions, so that the others meet its claim, not SQLite's lock.
    process.kill(pid, 'SIGSTOP');
    try {
      for (let i = 0; i < 200 && !writeLockFree(w.db); i++) {
        process.kill(pid, 'SIGCONT');
        await sleep(1);
        process.kill(pid, 'SIGSTOP');
        await sleep(5);
      }
      for (const args of [['ingest', file], ['import', 'court', COURT_LIST], ['purge']]) {
        const r = w.run(args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(5);
        expect(r.stderr).toMatch(
          new RegExp(`another credence rebuild \\(process ${pid}, since .*\\) is writing to .*credence\\.db`),
        );
        expect(r.stderr).toContain('a write beside it would be lost or counted twice');
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(await code, stderr).toBe(0);
    expect(writer(w.db)).toBeUndefined();
    // Nothing of the refused commands was written: the rebuild's result is that of a rebuild alone.
    const after = dumpDatabase(w.db);
    expect(after.facts).toEqual(alone.facts);
    expect(after.ledger).toEqual(alone.ledger);
  });
});
