import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../e2e/cli.js';
import { ALICE_ID, BOB_ID, courtWorld, writeCsv } from './court-world.js';

const HEADER =
  'register,file_number,surname,given_name,date_of_birth,national_id,address,entry_date,entry_reason,deletion_date';
const REGISTER = 'Weihai enforcement court debtor register';

const entry = (file: string, surname: string, given: string, dob: string, nid: string): string =>
  [REGISTER, file, surname, given, dob, nid, '', '2026-01-10', 'insolvency-refused', '2029-01-10'].join(',');

/** The date of birth each stored listing's subject carries, by the register's file number. */
function storedBirthDates(w: World): Record<string, unknown> {
  const db = new Database(w.db, { readonly: true });
  try {
    const rows = db
      .prepare("SELECT body FROM facts WHERE source = 'debtor-register' AND type = 'registry.debtor_listed'")
      .all() as { body: string }[];
    return Object.fromEntries(
      rows.map((r) => {
        const f = JSON.parse(r.body) as { subject: { date_of_birth?: string }; data: { file: string } };
        return [f.data.file, f.subject.date_of_birth];
      }),
    );
  } finally {
    db.close();
  }
}

// docs/sources.md: dates are year first; a day-first or month-first date is refused, never guessed.
// A date of birth is a date too: identity resolution compares it digit by digit, so a day-first one
// read as it stands is evidence against the right person.
describe('dates of birth in a furnisher file (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('a day-first or impossible date of birth is refused with its row and column; the others are imported', () => {
    w = courtWorld();
    const file = writeCsv(w, 'register.csv', [
      HEADER,
      entry('DR-1', 'Wang', 'Li', '31.12.1949', ALICE_ID),
      entry('DR-2', 'Zhang', 'Wei', '1990-03-07', BOB_ID),
      entry('DR-3', 'Li', 'Si', '1990-02-30', '110101199003074530'),
    ]);
    const r = w.run(['import', 'debtor-register', file, '--as-of', '2026-01-10']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/register\.csv:2 column date_of_birth: "31\.12\.1949" is not a date/);
    expect(r.stderr).toMatch(/register\.csv:4 column date_of_birth: "1990-02-30" is not a date/);
    expect(storedBirthDates(w)).toEqual({ 'DR-2': '1990-03-07' });
  });

  it('year-first dates of birth the docs accept are read, and written as YYYY-MM-DD where identity would not read them', () => {
    w = courtWorld();
    const file = writeCsv(w, 'register.csv', [
      HEADER,
      entry('DR-1', 'Wang', 'Li', '１９４９－１２－３１', ALICE_ID),
      entry('DR-2', 'Zhang', 'Wei', '1990年3月7日', BOB_ID),
      entry('DR-3', 'Li', 'Si', '19900307', '110101199003074530'),
      entry('DR-4', 'Zhao', 'Wu', '1990/3/7', '110101199003074549'),
    ]);
    const r = w.run(['import', 'debtor-register', file, '--as-of', '2026-01-10']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Forms identity reads as they stand are kept as sent (bodies already stored stay the same).
    expect(storedBirthDates(w)).toEqual({
      'DR-1': '1949-12-31',
      'DR-2': '1990-03-07',
      'DR-3': '19900307',
      'DR-4': '1990/3/7',
    });
  });
});
