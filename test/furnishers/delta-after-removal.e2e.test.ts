import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, type World } from '../e2e/cli.js';
import { ALICE_CASE, COURT_HEADER, courtRow, courtWorld, writeCsv } from './court-world.js';

// A delta that removes (or updates) an entry already removed, without listing it again, was
// stored: a second `court.blacklist_removed` ending a listing that had already ended, or an update
// of a listing no longer on the list, saying what never was. It is refused now, as a change of an
// entry never listed is, naming the removal's date; the same file again is still a no-op.

const HEADER = `${COURT_HEADER},change,changed_on`;

interface Report {
  accepted: number;
  refused: number;
  refusals: { line: number; column?: string; reason: string }[];
}

describe('a delta change of an entry already removed (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const delta = (name: string, rows: string[]) =>
    w.run(['import', 'court', writeCsv(w, name, [HEADER, ...rows]), '--mode', 'delta', '--json']);

  it('a second removal and an update after the removal are refused; nothing is stored', () => {
    w = courtWorld();
    expect(delta('d1.csv', [courtRow(ALICE_CASE, ['listed', '2026-07-01'])]).code).toBe(0);
    expect(delta('d2.csv', [courtRow(ALICE_CASE, ['removed', '2026-07-10'])]).code).toBe(0);
    const before = dumpDatabase(w.db).facts;
    const r = delta('d3.csv', [
      courtRow(ALICE_CASE, ['removed', '2026-07-20']),
      courtRow({ ...ALICE_CASE, performance: '全部履行' }, ['updated', '2026-07-21']),
    ]);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refused).toBe(2);
    for (const x of report.refusals) expect(x.reason).toMatch(/was removed on 2026-07-10/);
    expect(dumpDatabase(w.db).facts).toEqual(before);
  });

  it('removed, listed again, then removed again: every row stands, and the file again adds nothing', () => {
    w = courtWorld();
    const rows = [
      courtRow(ALICE_CASE, ['listed', '2026-07-01']),
      courtRow(ALICE_CASE, ['removed', '2026-07-10']),
      courtRow(ALICE_CASE, ['listed', '2026-07-15']),
      courtRow(ALICE_CASE, ['removed', '2026-07-20']),
    ];
    const r = delta('d.csv', rows);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 4, refused: 0 });
    const again = delta('d-again.csv', rows);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, refused: 0 });
  });
});
