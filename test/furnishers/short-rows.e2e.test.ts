import { afterEach, describe, expect, it } from 'vitest';
import { MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import {
  ALICE_CASE,
  BOB_CASE,
  BOB_ID,
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

// A line break typed into a cell that the export did not quote splits its row in two lines, each
// with fewer cells than the header. The rows were read with their missing cells empty, so the
// refusal said only `column amount: is empty`, though the furnisher's file has an amount there:
// the reason now says the row is short, and what usually makes it so.
describe('rows with fewer cells than the header (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a row split by an unquoted line break: each part refused naming its cell count and the header’s', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = writeCsv(w, 'shop.csv', [
      'record_id,event,occurred_at,account,name,amount,items',
      'shop-1,purchase,2026-06-01T10:00:00Z,shop:a,Li Na,10.00,1',
      'shop-2,purchase,2026-06-01T11:00:00Z,shop:b,Wang',
      'Na,12.00,1',
      'shop-3,purchase,2026-06-01T12:00:00Z,shop:c,Zhao Lei,14.00,1',
    ]);
    const r = w.run(['import', 'shop', file, '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ rows: 4, accepted: 2, refused: 2 });
    const byLine = new Map(report.refusals.map((x) => [x.line, x.reason]));
    expect(byLine.get(3)).toMatch(/has 5 cells, and the header 7.*line break/);
    expect(byLine.get(4)).toMatch(/has 3 cells, and the header 7.*line break/);
  });

  it('a register row refused for a cell it lacks says so, and its entry is not removed', () => {
    w = courtWorld();
    importSnapshot(w, 's1.csv', [courtRow(ALICE_CASE), courtRow(BOB_CASE)], '2026-06-30');
    // Bob's row cut after its case code (9 of 18 cells): dates, conduct and performance missing.
    const cut = courtRow(BOB_CASE).split(',').slice(0, 9).join(',');
    const file = writeCsv(w, 's2.csv', [COURT_HEADER, courtRow(ALICE_CASE), cut]);
    const r = w.run(['import', 'court', file, '--as-of', '2026-07-31', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals).toHaveLength(1);
    expect(report.refusals[0]?.line).toBe(3);
    expect(report.refusals[0]?.reason).toMatch(/has 9 cells, and the header 18.*line break/);
    expect(scoreOf(w, BOB_ID, '2026-08-01T00:00:00Z').flags).toContain('dishonest-debtor');
  });

  it('a short row refused for a value it holds keeps that reason first, the count after', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    // The last (optional) cell left out, as some exports write a row's trailing empty cells.
    const file = writeCsv(w, 'shop.csv', [
      'record_id,event,occurred_at,account,amount,items,name',
      'shop-1,purchase,2026-06-01T10:00:00Z,shop:a,10.00,1',
      'shop-2,purchase,last spring,shop:b,12.00,1',
    ]);
    const r = w.run(['import', 'shop', file, '--json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ rows: 2, accepted: 1, refused: 1 });
    expect(report.refusals[0]).toMatchObject({ line: 3, column: 'occurred_at' });
    expect(report.refusals[0]?.reason).toMatch(/^"last spring" is not a date.*has 6 cells, and the header 7/);
  });
});
