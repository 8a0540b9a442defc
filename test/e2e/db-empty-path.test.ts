import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-db-empty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--db given an empty path (real binary)', () => {
  // `credence init --db "$DB"` with DB unset said "initialised " and exit 0: SQLite opens '' as a
  // temporary database deleted on close, so nothing was made and the script went on. The demo
  // deleted ./-wal and ./-shm and ran on that temporary file.
  it('is CREDENCE_E_USAGE for every command, and no file is made or deleted', () => {
    const facts = join(dir, 'facts.jsonl');
    writeFileSync(facts, '\n');
    writeFileSync(join(dir, '-wal'), 'not mine to delete');
    for (const args of [
      ['init'],
      ['ingest', facts],
      ['score', 'P0000001', '--program', 'marketplace'],
      ['rebuild'],
      ['demo', '--people', '5'],
      ['explain-link', 'pay/p1'],
    ]) {
      const r = runCli([...args, '--db', ''], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(
        /^error: --db names no file \(an empty path\)[^\n]*\n {2}\[CREDENCE_E_USAGE\]\n$/,
      );
    }
    expect(readdirSync(dir).sort()).toEqual(['-wal', 'facts.jsonl']);
    expect(existsSync(join(dir, 'credence.db'))).toBe(false);
  });
});
