import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  ALICE_ID,
  BOB_CASE,
  COURT_HEADER,
  courtRow,
  courtWorld,
  importSnapshot,
  scoreOf,
  writeCsv,
} from './court-world.js';

interface Report {
  rows: number;
  accepted: number;
  refused: number;
  refusals: { line: number; column?: string; reason: string }[];
}

// Rows a furnisher's export garbles: a cell holding the delimiter without quotes shifts every cell
// after it, and a quote never closed swallows the rest of the file into one cell. Such a row is
// refused for what is wrong with it, not read with its cells under other columns.
describe('garbled rows (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a row with more cells than the header is refused, naming both counts; a trailing empty cell is not', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    // The name column last, as a reordered export has it: "Wang, Na" unquoted became "Wang".
    const file = writeCsv(w, 'shop.csv', [
      'record_id,event,occurred_at,account,amount,items,name',
      'shop-1,purchase,2026-06-01T10:00:00Z,shop:a,10.00,1,Li Na',
      'shop-2,purchase,2026-06-01T11:00:00Z,shop:b,12.00,1,Wang, Na',
      'shop-3,purchase,2026-06-01T12:00:00Z,shop:c,14.00,1,Zhao Lei,',
    ]);
    const r = w.run(['import', 'shop', file, '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ rows: 3, accepted: 2, refused: 1 });
    expect(report.refusals).toHaveLength(1);
    expect(report.refusals[0]?.line).toBe(3);
    expect(report.refusals[0]?.reason).toMatch(/8 cells.*header.* 7/);
    const names = (dumpDatabase(w.db).facts as { body: string }[]).map(
      (f) => (JSON.parse(f.body) as { subject: { full_name?: string } }).subject.full_name,
    );
    expect(names).toEqual(['Li Na', 'Zhao Lei']);
  });

  it('a quote never closed is the reason given for its row, and the snapshot removes no one', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    const file = writeCsv(w, 's2.csv', [COURT_HEADER, `"${courtRow(BOB_CASE)}`]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals[0]).toMatchObject({ line: 2, column: 'name' });
    expect(report.refusals[0]?.reason).toMatch(/quote.*never closed/);
    expect(report.refusals.some((x) => /removal.*withheld/.test(x.reason))).toBe(true);
    expect(scoreOf(w, ALICE_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });
});
