import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import { writeCsv } from './court-world.js';

// A bureau's monthly file repeats 23 months of each account. Each month's fact had one id
// (`lender|account#YYYY-MM`), so when next month's file said anything else of a repeated month
// (the bureau corrected it, or the borrower's date of birth was filled in) every such month was
// refused as a conflict (CREDENCE_E_FACT_CONFLICT, exit 5), on every later file, and a corrected
// month could never be stored.

const HEADER =
  'lender,account_no,account_type,opened_on,instalment,name,national_id,date_of_birth,last_month,repayment_grid';
const NID = '110105196707106934';

const row = (last: string, grid: string, dob = ''): string =>
  ['bank-a', 'A1', 'consumer', '2023-01-01', '1000', '王强', NID, dob, last, grid].join(',');

/** The month facts standing (not retracted), as what they say: month → type and data. */
function standing(w: World): Record<string, string> {
  const facts = dumpDatabase(w.db).facts as {
    id: string;
    type: string | null;
    body: string;
    retracts: string | null;
  }[];
  const retracted = new Set(facts.flatMap((f) => (f.retracts ? [f.retracts] : [])));
  const out: Record<string, string> = {};
  for (const f of facts) {
    if (f.type === null || retracted.has(f.id)) continue;
    const body = JSON.parse(f.body) as { occurredAt: string; data: unknown };
    const month = body.occurredAt.slice(0, 7);
    expect(out[month], `two facts stand for ${month}`).toBeUndefined();
    out[month] = `${f.type} ${JSON.stringify(body.data)}`;
  }
  return out;
}

describe('bureau files that say something new of a month already imported (real binary)', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });
  const world = () => {
    const w = makeWorld({ programs: [MARKETPLACE] });
    worlds.push(w);
    return w;
  };
  const importFile = (w: World, name: string, rows: string[]) =>
    w.run(['import', 'bureau', writeCsv(w, name, [HEADER, ...rows]), '--json']);

  // October's grid: its first month unknown (#), so October's months are all in November's too.
  const OCT = row('2025-10', `#${'N'.repeat(23)}`);
  // November's: October (second to last) corrected from N to one month overdue.
  const NOV = row('2025-11', `${'N'.repeat(22)}1N`);

  it("next month's file with the borrower's date of birth filled in adds its month, no conflicts", () => {
    const w = world();
    expect(importFile(w, 'oct.csv', [OCT]).code).toBe(0);
    const r = importFile(w, 'nov.csv', [row('2025-11', 'N'.repeat(24), '1967-07-10')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 1, duplicates: 23, refused: 0 });
  });

  it('a month the bureau corrected is stored as corrected, and stands as a fresh import of the file', () => {
    const w = world();
    expect(importFile(w, 'oct.csv', [OCT]).code).toBe(0);
    const r = importFile(w, 'nov.csv', [NOV]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 3, duplicates: 22, refused: 0 });

    const fresh = world();
    expect(importFile(fresh, 'nov.csv', [NOV]).code).toBe(0);
    expect(standing(w)).toEqual(standing(fresh));
    expect(standing(w)['2025-10']).toMatch(/^loan\.overdue /);
    const score = (x: World) => x.json(['score', NID, '--program', 'marketplace', '--as-of', '2025-12-01']);
    expect(score(w)).toEqual(score(fresh));

    // The same file again, and last month's imported late: nothing changes.
    const before = dumpDatabase(w.db);
    for (const [name, rows] of [
      ['nov-again.csv', [NOV]],
      ['oct-late.csv', [OCT]],
    ] as const) {
      const again = importFile(w, name, [...rows]);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, refused: 0 });
      expect(dumpDatabase(w.db)).toEqual(before);
    }
  });

  it('a month corrected twice, and back to what it first said, keeps one fact standing', () => {
    const w = world();
    importFile(w, 'oct.csv', [OCT]);
    importFile(w, 'nov.csv', [NOV]);
    const dec = row('2025-12', `${'N'.repeat(24)}`);
    const r = importFile(w, 'dec.csv', [dec]);
    expect(r.code).toBe(0);
    const fresh = world();
    importFile(fresh, 'dec.csv', [dec]);
    const months = standing(w);
    expect(months['2025-10']).toMatch(/^loan\.repaid /);
    // December's file holds 2024-01 … 2025-12; what stands of those months is what it says.
    const ours = Object.fromEntries(Object.entries(months).filter(([m]) => m >= '2024-01'));
    expect(ours).toEqual(standing(fresh));
  });

  it('a second row of the file for an account, with another grid, is refused; the same row again is not', () => {
    const w = world();
    const r = importFile(w, 'two.csv', [
      row('2025-10', 'N'.repeat(24)),
      row('2025-10', 'N'.repeat(24)),
      row('2025-10', `${'N'.repeat(23)}1`),
    ]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ accepted: 24, duplicates: 24, refused: 1 });
    expect(JSON.parse(r.stdout).refusals).toEqual([
      expect.objectContaining({
        line: 4,
        column: 'repayment_grid',
        code: 'CREDENCE_E_ROW_INVALID',
        reason: expect.stringContaining('is given again with another grid (line 2)'),
      }),
    ]);
    expect(standing(w)['2025-10']).toMatch(/^loan\.repaid /);
  });
});
