import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld } from './cli.js';

// `credence ingest my.db` (the database typed where the facts file goes) read the SQLite file
// as text: thousands of lines refused as "not UTF-8 text", exit 0 in a shell that only looks at
// the summary's end, and every refusal logged. A file that is a SQLite database is refused
// before anything is read, naming it, as a UTF-16 file is.
const w = makeWorld({ programs: [MARKETPLACE] });
afterAll(() => w.dispose());

describe('credence ingest given a SQLite database as input (real binary)', () => {
  it('is refused up front, CREDENCE_E_IO exit 1, naming the file; nothing is ingested', () => {
    const other = join(w.dir, 'other.db');
    copyFileSync(w.db, other);
    const good =
      '{"id":"p1","source":"pay","type":"payment.completed","occurredAt":"2026-01-01T00:00:00Z","subject":{"account":"pay:x"},"data":{"amount":1}}\n';
    for (const input of [w.db, other]) {
      const r = w.run(['ingest', '-', input], { input: good });
      expect(r.code, input).toBe(1);
      expect(r.stdout, input).toBe('');
      expect(r.stderr, input).toBe(
        `error: cannot read ${input}: it is a SQLite database, not JSON Lines (give a database with --db)\n  [CREDENCE_E_IO]\n`,
      );
    }
    // The stdin line before it was not ingested either: the files are checked before any is read.
    const after = w.run(['ingest', '-'], { input: good });
    expect(after.stdout).toMatch(/^1 lines: 1 accepted/);
  });
});
