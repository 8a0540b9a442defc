import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, type World } from '../e2e/cli.js';
import { ALICE_ID, BOB_ID, courtWorld, scoreOf, writeCsv } from './court-world.js';

const HEADER =
  'register,file_number,surname,given_name,date_of_birth,national_id,address,entry_date,entry_reason,deletion_date';
const REGISTER = 'Weihai enforcement court debtor register';

const alice = (deletion: string): string =>
  [REGISTER, 'DR-1', 'Wang', 'Li', '1949-12-31', ALICE_ID, '', '2026-01-10', 'r', deletion].join(',');
const bob = (deletion: string): string =>
  [REGISTER, 'DR-2', 'Zhang', 'Wei', '1990-03-07', BOB_ID, '', '2026-01-10', 'r', deletion].join(',');

const flagged = (w: World, nid: string, asOf: string): boolean =>
  scoreOf(w, nid, `${asOf}T12:00:00Z`).flags.includes('registered-debtor');

// A deletion date before the entry's own date (2025 typed for 2027) was read as an entry already
// deleted: the snapshot stored nothing of it and said nothing (exit 0, no refusal), and for an
// entry already listed it stored a removal dated before the listing, lifting the flag.
describe('a register entry whose deletion date is before its entry date (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  function importSnapshot(name: string, rows: readonly string[], asOf: string) {
    const file = writeCsv(w, name, [HEADER, ...rows]);
    return { file, r: w.run(['import', 'debtor-register', file, '--as-of', asOf, '--json']) };
  }

  it('is refused with its line, column and reason, not dropped unseen', () => {
    w = courtWorld();
    const file = writeCsv(w, 's1.csv', [HEADER, bob('2027-01-09'), alice('2025-12-01')]);
    const r = w.run(['import', 'debtor-register', file, '--as-of', '2026-06-30']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `${file}:3 column deletion_date: "2025-12-01" is before the entry's date (2026-01-10, column entry_date)`,
    );
    expect(r.stderr).toContain('CREDENCE_E_ROW_INVALID');
    expect(r.stdout).toContain('2 rows, 0 skipped, 1 refused');
    const facts = dumpDatabase(w.db).facts as { id: string }[];
    expect(facts.map((f) => f.id).filter((id) => id.includes('DR-1'))).toEqual([]);
    expect(flagged(w, BOB_ID, '2026-07-01')).toBe(true);
  });

  it('leaves an entry already listed as it was: no removal dated before its listing', () => {
    w = courtWorld();
    expect(importSnapshot('s1.csv', [alice('2027-01-09')], '2026-06-30').r.code).toBe(0);
    expect(flagged(w, ALICE_ID, '2026-07-01')).toBe(true);
    const before = dumpDatabase(w.db).facts;

    const { r } = importSnapshot('s2.csv', [alice('2025-01-09')], '2026-07-31');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).refusals).toEqual([
      expect.objectContaining({ line: 2, column: 'deletion_date', code: 'CREDENCE_E_ROW_INVALID' }),
    ]);
    expect(dumpDatabase(w.db).facts).toEqual(before);
    expect(flagged(w, ALICE_ID, '2026-08-01')).toBe(true);
    expect(flagged(w, ALICE_ID, '2027-01-10')).toBe(false);
  });

  // An entry already past its deletion date is never stored (docs/sources.md §4); the summary said
  // nothing of it ("2 rows, 0 skipped, 0 refused"), so the operator could not tell it from one lost.
  it('counts the rows of entries already past their deletion date, which are not stored', () => {
    w = courtWorld();
    const file = writeCsv(w, 's1.csv', [HEADER, bob('2027-01-09'), alice('2026-03-01')]);
    const r = w.run(['import', 'debtor-register', file, '--as-of', '2026-06-30']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 rows, 0 skipped, 0 refused, 1 past their deletion date (not stored)');
    const again = importSnapshot('s2.csv', [bob('2027-01-09'), alice('2026-03-01')], '2026-06-30');
    expect(JSON.parse(again.r.stdout)).toMatchObject({ rows: 2, pastDeletion: 1, refused: 0 });
    const plain = importSnapshot('s3.csv', [bob('2027-01-09')], '2026-06-30');
    expect(JSON.parse(plain.r.stdout)).not.toHaveProperty('pastDeletion');
  });

  it('takes a deletion on the entry date itself', () => {
    w = courtWorld();
    const { r } = importSnapshot('s1.csv', [alice('2026-01-10')], '2026-06-30');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ refused: 0 });
  });
});
