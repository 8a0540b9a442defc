import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'credence-bad-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--db naming a file that is not a database (real binary)', () => {
  // SQLite's "file is not a database" came out without a catalogue code.
  it('is CREDENCE_E_DB for every command that opens it', () => {
    const db = join(dir, 'notes.db');
    writeFileSync(db, 'these are my notes, not a database\n'.repeat(200));
    const facts = join(dir, 'facts.jsonl');
    writeFileSync(facts, '\n');
    for (const args of [
      ['init'],
      ['score', 'P0000001', '--program', 'marketplace'],
      ['ingest', facts],
      ['purge', '--dry-run'],
      ['audit', 'verify'],
    ]) {
      const r = runCli([...args, '--db', db], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(
        /^error: cannot open .*notes\.db: file is not a database\n {2}\[CREDENCE_E_DB\]\n$/,
      );
    }
  });
});
