import { afterEach, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../src/identity/validate/resident-id.js';
import { dumpDatabase, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';
import { writeCsv } from './court-world.js';

// A bureau file opened in a spreadsheet and saved again: an 18-digit ID number read as a number
// keeps 15 significant digits (the rest written back as 000), or comes out with a decimal part
// (`…0021.0`). Scientific notation was refused already, and a 000 form failing its check where
// the account's stored months name a valid ID (a slip). Not caught: a 000 form that happens to
// pass its check (one time in eleven), taken for the bureau naming another person, every stored
// month retracted and stored again for a person no one is; a decimal part, kept as part of the
// ID; and a failing 000 form on an account not stored yet, imported for a person no one is.

const HEADER =
  'lender,account_no,account_type,opened_on,instalment,name,national_id,date_of_birth,last_month,repayment_grid';
const GRID = `${'N'.repeat(20)}12DN`;

const row = (nid: string, account = 'A1'): string =>
  ['bank-a', account, 'consumer', '2023-01-01', '1000', '王强', nid, '', '2025-11', GRID].join(',');

/** A valid ID whose first 15 digits, then 000, pass the check character too (one time in eleven). */
function idWhoseSpreadsheetFormPasses(): string {
  for (let day = 1; day <= 28; day++) {
    for (let seq = 0; seq <= 9; seq++) {
      const first15 = `1101051967071${String(day).padStart(2, '0')}${seq}`.slice(0, 15);
      if (residentIdCheckChar(`${first15}00`) !== '0') continue;
      const first17 = `${first15}13`;
      return first17 + residentIdCheckChar(first17);
    }
  }
  throw new Error('no such ID');
}

interface Report {
  refused: number;
  accepted: number;
  refusals: { line: number; column?: string; reason: string }[];
}

describe('a bureau ID number a spreadsheet mangled (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('the 000 form that passes its check is refused naming row and column; the months stay', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const nid = idWhoseSpreadsheetFormPasses();
    const mangled = `${nid.slice(0, 15)}000`;
    expect(residentIdCheckChar(mangled.slice(0, 17))).toBe('0');
    expect(w.run(['import', 'bureau', writeCsv(w, 'nov.csv', [HEADER, row(nid)])]).code).toBe(0);
    const before = dumpDatabase(w.db).facts;
    const r = w.run(['import', 'bureau', writeCsv(w, 'nov-saved.csv', [HEADER, row(mangled)]), '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals).toHaveLength(1);
    expect(report.refusals[0]).toMatchObject({ line: 2, column: 'national_id' });
    expect(report.refusals[0]?.reason).toMatch(new RegExp(`"${mangled}" is the ID number .*${nid}.*000`));
    expect(dumpDatabase(w.db).facts).toEqual(before);
  });

  it('an ID with a decimal part, or a failing 000 form on a new account, is refused; the other rows imported', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const nid = '110105196707106934';
    const failing = `${nid.slice(0, 15)}000`;
    expect(residentIdCheckChar(failing.slice(0, 17))).not.toBe('0');
    const f = writeCsv(w, 'saved.csv', [HEADER, row(`${nid}.0`, 'A1'), row(failing, 'A2'), row(nid, 'A3')]);
    const r = w.run(['import', 'bureau', f, '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.refusals.map((x) => [x.line, x.column])).toEqual([
      [2, 'national_id'],
      [3, 'national_id'],
    ]);
    expect(report.refusals[0]?.reason).toMatch(/written as a spreadsheet writes a number/);
    expect(report.refusals[1]?.reason).toMatch(/fails its GB 11643 check character and ends in 000/);
    const ids = (dumpDatabase(w.db).facts as { id: string }[]).map((x) => x.id);
    expect(ids.some((id) => id.startsWith('bank-a|A3#'))).toBe(true);
    expect(ids.some((id) => id.startsWith('bank-a|A1#') || id.startsWith('bank-a|A2#'))).toBe(false);
  });
});
