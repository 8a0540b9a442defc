import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, makeWorld, type World } from '../e2e/cli.js';

const HEADER =
  'lender,account_no,account_type,opened_on,instalment,name,national_id,date_of_birth,last_month,repayment_grid';
const row = (account: string, lastMonth: string) =>
  `bankA,${account},consumer,2024-01-01,100,王强,110105198001010112,1980-01-01,${lastMonth},${'N'.repeat(24)}`;

/** `YYYY-MM` of the month `k` months from the clock's (UTC). */
function monthFromNow(k: number): string {
  const d = new Date();
  const i = d.getUTCFullYear() * 12 + d.getUTCMonth() + k;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

// A bureau's grid reports the months up to its last one. A last month still to come (a mistyped
// year: 2036 for 2026) was read as 24 months of repayments, the latest years ahead: facts of
// months that have not happened were stored, and counted as on-time instalments once the clock
// reached them — while a register snapshot dated in the future is refused.
describe('a repayment grid whose last month is still to come (real binary, real database)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  it('is refused with its row and column, and the other rows are imported', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const file = join(w.dir, 'bureau.csv');
    writeFileSync(file, [HEADER, row('NOW', monthFromNow(-1)), row('TYPO', monthFromNow(120))].join('\n'));
    const r = w.run(['import', 'bureau', file, '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as {
      refusals: { line: number; column: string; reason: string }[];
      accepted: number;
    };
    expect(report.refusals).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'last_month',
        reason: expect.stringMatching(new RegExp(`"${monthFromNow(120)}" is after the current month`)),
      }),
    ]);
    expect(report.accepted).toBe(24);
    const db = new Database(w.db, { readonly: true });
    try {
      const ids = db.prepare('SELECT id FROM facts').pluck().all() as string[];
      expect(ids.filter((id) => id.includes('TYPO'))).toEqual([]);
      const latest = db.prepare('SELECT max(at) FROM facts').pluck().get() as number;
      expect(latest).toBeLessThanOrEqual(Date.now());
    } finally {
      db.close();
    }
  });
});
