import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../e2e/cli.js';
import { BOB_CASE, BOB_ID, COURT_HEADER, courtRow, courtWorld, scoreOf, writeCsv } from './court-world.js';

interface Report {
  refusals: { line: number; column?: string; reason: string }[];
  factsByType: Record<string, number>;
}

// A delta says what happened to an entry and when. A removal whose change date had a mistyped year
// (2062 for 2026) was stored dated 2062: the person paid, the court removed them, and they kept the
// flag and its travel bans until then, with no word from the import — while a snapshot dated after
// today is refused, and so is a listing registered after its change date.
describe('a delta change dated after today (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const header = `${COURT_HEADER},change,changed_on`;

  it('is refused with its row and column; the same removal correctly dated clears the flag', () => {
    w = courtWorld();
    const listed = writeCsv(w, 'l.csv', [header, courtRow(BOB_CASE, ['listed', '2025-04-01'])]);
    expect(w.run(['import', 'court', listed, '--mode', 'delta']).code).toBe(0);

    const typo = writeCsv(w, 't.csv', [header, courtRow(BOB_CASE, ['removed', '2062-08-01'])]);
    const r = w.run(['import', 'court', typo, '--mode', 'delta', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals.map((x) => [x.line, x.column])).toEqual([[2, 'changed_on']]);
    expect(report.refusals[0]?.reason).toMatch(/"2062-08-01" is after today/);
    expect(report.factsByType).toEqual({});

    const fixed = writeCsv(w, 'f.csv', [header, courtRow(BOB_CASE, ['removed', '2026-08-01'])]);
    expect(w.run(['import', 'court', fixed, '--mode', 'delta']).code).toBe(0);
    expect(scoreOf(w, BOB_ID, '2026-09-01T00:00:00Z').flags).not.toContain('dishonest-debtor');
  });

  it('refuses a listing whose change date is still to come, and lists nobody', () => {
    w = courtWorld();
    const row = courtRow(BOB_CASE, ['listed', '2062-04-01']);
    const r = w.run(['import', 'court', writeCsv(w, 'd.csv', [header, row]), '--mode', 'delta', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals.map((x) => [x.line, x.column])).toEqual([[2, 'changed_on']]);
    expect(report.factsByType).toEqual({});
  });
});
