import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, type World } from '../e2e/cli.js';
import { ALICE_ID, courtWorld, scoreOf, writeCsv } from './court-world.js';

// The debtor register has no update type (docs/sources.md §3: its address is a person-record
// field, not data of the listing). A snapshot that shows a known entry with another address
// stores nothing for it, and its summary says so: the row is unchanged, not a fact, not refused.

const HEADER =
  'register,file_number,surname,given_name,date_of_birth,national_id,address,entry_date,entry_reason,deletion_date';
const row = (address: string): string =>
  [
    'Weihai enforcement court debtor register',
    'DR-1',
    'Wang',
    'Li',
    '1949-12-31',
    ALICE_ID,
    `"${address}"`,
    '2026-01-10',
    'r',
    '2029-01-09',
  ].join(',');

describe('a debtor register entry with a new address (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('stores nothing, is counted unchanged, and the flag stands', () => {
    w = courtWorld();
    const first = writeCsv(w, 'june.csv', [HEADER, row('82 Shidao Rd, Rongcheng')]);
    expect(w.run(['import', 'debtor-register', first, '--as-of', '2026-06-30']).code).toBe(0);
    const before = dumpDatabase(w.db).facts;
    const moved = writeCsv(w, 'july.csv', [HEADER, row('9 Chengshan Rd, Rongcheng')]);
    const r = w.run(['import', 'debtor-register', moved, '--as-of', '2026-07-31']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 rows, 0 skipped, 0 refused, 1 unchanged\n0 facts');
    expect(dumpDatabase(w.db).facts).toEqual(before);
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('registered-debtor');
  });
});
