import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-db-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A directory given as --db was called "no database at DIR (run `credence init --db DIR` first)",
// and `init --db DIR` then failed with SQLite's "unable to open database file": the advice led
// nowhere. A --db in a directory that does not exist got the same bare SQLite message from init.
describe('--db naming what cannot be a database file (real binary)', () => {
  it('a directory is named as a directory by every command, init included (CREDENCE_E_DB, exit 1)', () => {
    const db = join(dir, 'data');
    mkdirSync(db);
    const facts = join(dir, 'facts.jsonl');
    writeFileSync(facts, '\n');
    for (const args of [
      ['init'],
      ['score', 'P0000001', '--program', 'marketplace'],
      ['ingest', facts],
      ['rebuild'],
      ['program', 'list'],
    ]) {
      const r = runCli([...args, '--db', db], { cwd: dir });
      const label = args.join(' ');
      expect(r.code, label).toBe(1);
      expect(r.stderr, label).toBe(
        `error: cannot open database ${db}: it is a directory, not a database file\n  [CREDENCE_E_DB]\n`,
      );
    }
    // Named the same when it came from $CREDENCE_DB, where a message about --db would mislead.
    const r = runCli(['score', 'P0000001', '--program', 'marketplace'], {
      cwd: dir,
      env: { CREDENCE_DB: db },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: cannot open database ${db}: it is a directory, not a database file\n  [CREDENCE_E_DB]\n`,
    );
  });

  it('init in a directory that does not exist names that directory and creates nothing', () => {
    const db = join(dir, 'no-such-dir', 'my.db');
    const r = runCli(['init', '--db', db], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: cannot create database ${db}: the directory ${join(dir, 'no-such-dir')} does not exist\n  [CREDENCE_E_DB]\n`,
    );
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
});
