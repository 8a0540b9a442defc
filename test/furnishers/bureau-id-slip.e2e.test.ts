import { afterEach, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../src/identity/validate/resident-id.js';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import { writeCsv } from './court-world.js';

// A bureau file whose ID number for an account has a keying slip (its GB 11643 check character
// wrong) was taken for the bureau correcting whom the account is about: every stored month of the
// account was retracted and stored again for a person no one is, so the borrower's repayment
// history (an overdue, a default) left their file. The court list and the debtor register already
// refuse such a row (docs/sources.md §4); a bureau row now is refused the same way, its months kept.

const HEADER =
  'lender,account_no,account_type,opened_on,instalment,name,national_id,date_of_birth,last_month,repayment_grid';
const NID = '110105196707106934';
const GRID = `${'N'.repeat(20)}12DN`;

const row = (nid: string, last = '2025-11'): string =>
  ['bank-a', 'A1', 'consumer', '2023-01-01', '1000', '王强', nid, '', last, GRID].join(',');

interface Report {
  refused: number;
  refusals: { line: number; column?: string; reason: string }[];
}

describe('a bureau row with a slip in its ID number (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused naming line, column and the listed ID; the months stay with the borrower', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    expect(w.run(['import', 'bureau', writeCsv(w, 'nov.csv', [HEADER, row(NID)])]).code).toBe(0);
    const before = dumpDatabase(w.db).facts;
    const good = residentIdCheckChar(NID.slice(0, 17));
    const wrong = good === '0' ? '1' : '0';
    const slip = `${NID.slice(0, 17)}${wrong}`;
    const r = w.run(['import', 'bureau', writeCsv(w, 'nov-again.csv', [HEADER, row(slip)]), '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refused).toBe(1);
    expect(report.refusals[0]).toMatchObject({ line: 2, column: 'national_id' });
    expect(report.refusals[0]?.reason).toMatch(
      new RegExp(`"${slip}" fails its GB 11643 check character.*${NID}`),
    );
    expect(dumpDatabase(w.db).facts).toEqual(before);
  });

  it('an ID number that passes its check is still a correction: the months move to it', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    expect(w.run(['import', 'bureau', writeCsv(w, 'nov.csv', [HEADER, row(NID)])]).code).toBe(0);
    const other = '11010519491231002X';
    const r = w.run(['import', 'bureau', writeCsv(w, 'nov-fixed.csv', [HEADER, row(other)]), '--json']);
    expect(r.code).toBe(0);
    const retractions = (dumpDatabase(w.db).facts as { retracts: string | null }[]).filter((f) => f.retracts);
    expect(retractions.length).toBeGreaterThan(0);
  });
});
