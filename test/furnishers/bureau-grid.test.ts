import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type GridMapping,
  headerOf,
  isRefusal,
  loadMapping,
  type MappedFact,
  mapGridRow,
} from '../../src/ingest/sources/index.js';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';

const ROOT = join(import.meta.dirname, '../..');
const bureau = (await loadMapping(
  readFileSync(join(ROOT, 'examples/sources/bureau.yaml'), 'utf8'),
  'bureau.yaml',
)) as GridMapping;
const header = headerOf([
  'lender',
  'account_no',
  'instalment',
  'name',
  'national_id',
  'last_month',
  'repayment_grid',
]);
const row = (grid: string) => ['bank', 'A1', '100', '王伟', '11010519491231002X', '2026-06', grid];
const summary = (facts: readonly MappedFact[]) => facts.map((f) => [f.id, f.type, f.at, f.data]);

// What furnishers send that the generated samples never do.
describe('repayment grids as furnishers write them', () => {
  it('refuses a grid that is not 24 months long: which month is missing (or extra) cannot be told', () => {
    // Read from its end, a 23-character grid dated every month before a missing one a month late
    // (an overdue month on the wrong date, for good: next month's full grid then conflicts).
    for (const grid of ['N'.repeat(23), `1${'N'.repeat(24)}`]) {
      const r = mapGridRow(bureau, header, 5, row(grid));
      expect(isRefusal(r) && r).toMatchObject({
        line: 5,
        column: 'repayment_grid',
        reason: `has ${grid.length} months; a repayment grid has 24 (one character per month, oldest first)`,
      });
    }
  });

  it('reads lower-case and full-width status codes as the PBoC legend letters', () => {
    const grid = `${'N'.repeat(18)}12CGZD`;
    const want = summary(mapGridRow(bureau, header, 2, row(grid)) as MappedFact[]);
    expect(want).toHaveLength(24);
    expect(summary(mapGridRow(bureau, header, 2, row(grid.toLowerCase())) as MappedFact[])).toEqual(want);
    const fullWidth = grid.replace(/[0-9A-Z]/g, (c) =>
      String.fromCodePoint((c.codePointAt(0) as number) + 0xfee0),
    );
    expect(summary(mapGridRow(bureau, header, 2, row(fullWidth)) as MappedFact[])).toEqual(want);
  });

  it('still refuses a space inside the grid, naming its position (a blank month or a separator?)', () => {
    const r = mapGridRow(bureau, header, 3, row(`${'N'.repeat(12)} ${'N'.repeat(12)}`));
    expect(isRefusal(r) && r).toMatchObject({
      column: 'repayment_grid',
      reason: expect.stringMatching(/^character 13 " "/),
    });
  });
});

describe('credence import bureau: grids of the wrong length (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('refuses the row with its line, column and reason, and imports the others', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const file = join(w.dir, 'bureau.csv');
    const head =
      'lender,account_no,account_type,opened_on,instalment,name,national_id,date_of_birth,last_month,repayment_grid';
    const line = (account: string, grid: string) =>
      `bank,${account},consumer,2020-01-01,100,王伟,11010519491231002X,1949-12-31,2026-06,${grid}`;
    writeFileSync(
      file,
      `${[head, line('A1', 'N'.repeat(24)), line('A2', 'N'.repeat(23)), line('A3', 'n'.repeat(24))].join('\n')}\n`,
    );
    const before = dumpDatabase(w.db);
    const dry = w.run(['import', 'bureau', file, '--dry-run']);
    expect(dry.code).toBe(3);
    expect(dumpDatabase(w.db)).toEqual(before);
    const r = w.run(['import', 'bureau', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('bureau.csv:3 column repayment_grid: has 23 months; a repayment grid has 24');
    expect(r.stdout).toMatch(/3 rows, 0 skipped, 1 refused/);
    expect(r.stdout).toMatch(/48 facts \(loan\.repaid 48\): 48 new/);
  });
});

describe('the last month of a grid as furnishers write it', () => {
  const at = (last: string) => {
    const cells = row(`${'N'.repeat(24)}`);
    cells[5] = last;
    return mapGridRow(bureau, header, 4, cells);
  };
  it('reads 2026-06, 202606, 2026/6 and 2026年6月 as June 2026', () => {
    const want = summary(at('2026-06') as MappedFact[]);
    for (const last of ['202606', '2026/6', '2026.06', '2026年6月', '２０２６－０６'])
      expect([last, summary(at(last) as MappedFact[])]).toEqual([last, want]);
  });
  it('refuses a month it cannot tell: month first, or out of range', () => {
    for (const last of ['06/2026', '2026-13', '2026-0', '2026'])
      expect(at(last)).toMatchObject({ column: 'last_month', reason: `"${last}" is not a month (YYYY-MM)` });
  });
});
