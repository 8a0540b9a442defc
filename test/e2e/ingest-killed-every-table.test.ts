import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateJsonl, recentEnd } from '../../src/generate/index.js';
import { BIN, CITY_CIVIC, countFacts, MARKETPLACE, makeWorld, ok, type World } from './cli.js';

// Columns that record when a row was written, not what it holds.
const WHEN = new Set(['received_at', 'loaded_at']);
// Seals whose digest covers those times (the facts' receipt, a rulebook's load): held to their
// rows by `credence audit verify` on each database instead.
const SEALS_OF_WHEN = new Set(['fact_seal', 'program_seal']);

/**
 * Every table but the audit log (which records each run) and its look-up aids, row by row, without
 * write times. `seal_checkpoints` lists the audit entries that hold a seal: an index into the log.
 */
function everyTable(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, string[]> = {};
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'audit%' AND name != 'seal_checkpoints' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    for (const t of tables) {
      const cols = (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[])
        .map((c) => c.name)
        .filter((c) => !WHEN.has(c) && !(SEALS_OF_WHEN.has(t) && c === 'digest'));
      out[t] = (db.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${t}"`).all() as unknown[])
        .map((r) => JSON.stringify(r))
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}

// The issue's check, as an outside checker runs it: every table of a killed ingest run again
// against an uninterrupted one. What a run keeps only while it runs (the row that marks other
// writers for it, the row that claims the database) must not outlive the run that finishes.
describe('a killed ingest, run again', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  it('leaves every table as an uninterrupted run does', async () => {
    const whole = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    const killed = makeWorld({ programs: [MARKETPLACE, CITY_CIVIC] });
    worlds.push(whole, killed);
    const lines = [...generateJsonl({ people: 200, seed: 12, days: 364, end: recentEnd() })];
    const file = join(whole.dir, 'facts.jsonl');
    writeFileSync(file, lines.join(''));
    ok(whole.run(['ingest', file, '--batch-size', '100']));

    // Killed while it waits for the rest of its input, some batches stored.
    const child = spawn(process.execPath, [BIN, 'ingest', '-', '--db', killed.db, '--batch-size', '100'], {
      cwd: killed.dir,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.stdin.write(lines.slice(0, 1000).join(''));
    for (let i = 0; i < 2000 && countFacts(killed.db) < 1000; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(countFacts(killed.db)).toBe(1000);
    child.kill('SIGKILL');
    await exited;

    ok(killed.run(['ingest', file, '--batch-size', '100']));
    expect(everyTable(killed.db)).toEqual(everyTable(whole.db));
    for (const w of [whole, killed]) ok(w.run(['audit', 'verify']));
  });
});
