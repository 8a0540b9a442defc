import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CITY_CIVIC, countFacts, makeWorld, ROOT } from './cli.js';

// `credence import court FILE --mapping examples/sources` (the folder for the file) failed with
// "EISDIR: illegal operation on a directory, read" as CREDENCE_E_INTERNAL: to a script, a bug of
// Credence, not a path to correct. It is CREDENCE_E_IO (exit 1) naming the path, and nothing is read.
const w = makeWorld({ programs: [CITY_CIVIC] });
afterAll(() => w.dispose());

describe('import given a folder for the mapping, or the database for the file (real binary)', () => {
  it('is refused as a path that cannot be read, naming it; nothing is imported', () => {
    const folder = join(ROOT, 'examples/sources');
    const r = w.run([
      'import',
      'court',
      join(ROOT, 'examples/sources/samples/court-2026-06.csv'),
      '--mapping',
      folder,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: cannot read mapping ${folder}: it is a directory, not a mapping file\n  [CREDENCE_E_IO]\n`,
    );
    expect(countFacts(w.db)).toBe(0);
  });

  // The database typed where the file goes was read as a CSV and refused for 'a byte that is not
  // UTF-8 text' at line 3 (exit 3), which says nothing of the slip; ingest says what it is.
  it('given the database for the file, says it is a SQLite database; nothing is imported', () => {
    const r = w.run(['import', 'court', w.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: cannot read ${w.db}: it is a SQLite database, not a furnisher's file (give a database with --db)\n  [CREDENCE_E_IO]\n`,
    );
    expect(countFacts(w.db)).toBe(0);
  });

  // The source named the shipped mapping by path: `import ../programs/marketplace FILE` read
  // examples/programs/marketplace.yaml as a mapping (and reported its 8 problems).
  it('a source that is a path names no shipped mapping', () => {
    const r = w.run([
      'import',
      '../programs/marketplace',
      join(ROOT, 'examples/sources/samples/pay-2026-06.csv'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: no shipped mapping for source "../programs/marketplace": give one with --mapping FILE.yaml\n  [CREDENCE_E_USAGE]\n',
    );
  });
});
