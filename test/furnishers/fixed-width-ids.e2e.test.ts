import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, MARKETPLACE, makeWorld, ROOT, type World } from '../e2e/cli.js';
import { ALICE_ID, BOB_ID, courtWorld, scoreOf, writeCsv } from './court-world.js';

// An identifier of no fixed shape (a bureau's account number, a register's file number) read by a
// spreadsheet as a number loses its leading zeros: `00012345` is saved back as `12345`. A resident
// ID is caught by its shape; these were not: the bureau's months were stored again for a new
// account, and a register snapshot removed the entry it no longer saw under its old number. Decided:
// a mapping declares such a column's width (`format: { widths: { account_no: 8 } }`), and a value
// of another length is refused naming row, column and reason; without a declared width nothing is
// guessed, so a legitimate short number is imported.

interface Report {
  refused: number;
  accepted: number;
  refusals: { line: number; column?: string; reason: string }[];
}

const BUREAU_HEADER =
  'lender,account_no,account_type,opened_on,instalment,name,national_id,date_of_birth,last_month,repayment_grid';
const GRID = `${'N'.repeat(22)}1N`;
const bureauRow = (account: string): string =>
  [
    'bank-a',
    account,
    'consumer',
    '2023-01-01',
    '1000',
    '王强',
    '110105196707106934',
    '',
    '2025-11',
    GRID,
  ].join(',');

/** A shipped mapping with `widths` added to its `format` (or a format line added). */
function mappingWithWidths(w: World, shipped: string, widths: string): string {
  const text = readFileSync(join(ROOT, 'examples/sources', shipped), 'utf8');
  const out = /^format: \{ (.*) \}$/m.test(text)
    ? text.replace(/^format: \{ (.*) \}$/m, `format: { $1, widths: { ${widths} } }`)
    : text.replace(/^types:/m, `format: { widths: { ${widths} } }\ntypes:`);
  const path = join(w.dir, shipped);
  writeFileSync(path, out);
  return path;
}

const loans = (w: World): string[] =>
  [
    ...new Set(
      (dumpDatabase(w.db).facts as { source: string; body: string }[])
        .filter((f) => f.source === 'bureau')
        .map((f) => (JSON.parse(f.body) as { data: { loan: string } }).data.loan),
    ),
  ].sort();

describe('identifiers of a declared width (real binary, real database)', () => {
  const worlds: World[] = [];
  afterEach(() => {
    for (const w of worlds.splice(0)) w.dispose();
  });

  it('a bureau account that lost its leading zeros is refused naming row, column and reason', () => {
    const w = makeWorld({ programs: [MARKETPLACE] });
    worlds.push(w);
    const mapping = mappingWithWidths(w, 'bureau.yaml', 'account_no: 8');
    const first = w.run([
      'import',
      'bureau',
      writeCsv(w, 'nov.csv', [BUREAU_HEADER, bureauRow('00012345'), bureauRow('12345678')]),
      '--mapping',
      mapping,
    ]);
    expect(first.code).toBe(0);
    const before = dumpDatabase(w.db).facts;
    const r = w.run([
      'import',
      'bureau',
      writeCsv(w, 'nov-saved.csv', [BUREAU_HEADER, bureauRow('12345'), bureauRow('12345678')]),
      '--mapping',
      mapping,
      '--json',
    ]);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.accepted).toBe(0);
    expect(report.refusals).toHaveLength(1);
    expect(report.refusals[0]).toMatchObject({ line: 2, column: 'account_no' });
    expect(report.refusals[0]?.reason).toMatch(/"12345" has 5 characters, .*8 wide .*00012345 written 12345/);
    expect(dumpDatabase(w.db).facts).toEqual(before);
    expect(loans(w)).toEqual(['00012345', '12345678']);
  });

  it('without a declared width a short account number is a legitimate one, imported', () => {
    const w = makeWorld({ programs: [MARKETPLACE] });
    worlds.push(w);
    const r = w.run([
      'import',
      'bureau',
      writeCsv(w, 'nov.csv', [BUREAU_HEADER, bureauRow('12345')]),
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(loans(w)).toEqual(['12345']);
  });

  it("a register snapshot's file number that lost its zeros is refused, and its entry is not removed", () => {
    const w = courtWorld();
    worlds.push(w);
    const mapping = mappingWithWidths(w, 'debtor-register.yaml', 'file_number: 7');
    const HEADER =
      'register,file_number,surname,given_name,date_of_birth,national_id,address,entry_date,entry_reason,deletion_date';
    const row = (file: string, nid: string, dob: string) =>
      ['R', file, 'Wang', 'Li', dob, nid, '', '2026-06-10', 'insolvency-refused', '2029-06-10'].join(',');
    const snap = (name: string, rows: string[], asOf: string) =>
      w.run([
        'import',
        'debtor-register',
        writeCsv(w, name, [HEADER, ...rows]),
        '--mapping',
        mapping,
        '--as-of',
        asOf,
        '--json',
      ]);
    const alice = (file: string) => row(file, ALICE_ID, '1949-12-31');
    const bob = row('0000002', BOB_ID, '1990-03-07');
    expect(snap('june.csv', [alice('0000001'), bob], '2026-06-30').code).toBe(0);
    const july = snap('july.csv', [alice('1'), bob], '2026-07-31');
    expect(july.code).toBe(3);
    const report = JSON.parse(july.stdout) as Report;
    expect(report.refusals[0]).toMatchObject({ line: 2, column: 'file_number' });
    expect(report.refusals[0]?.reason).toMatch(/"1" has 1 character, .*7 wide .*0000001 written 1/);
    expect(scoreOf(w, ALICE_ID, '2026-08-15T00:00:00Z').flags).toContain('registered-debtor');
    expect(scoreOf(w, BOB_ID, '2026-08-15T00:00:00Z').flags).toContain('registered-debtor');
  });

  it('a mapping whose width is not a positive whole number is refused when loaded', () => {
    const w = makeWorld({ programs: [MARKETPLACE] });
    worlds.push(w);
    const mapping = mappingWithWidths(w, 'bureau.yaml', 'account_no: 0');
    const r = w.run([
      'import',
      'bureau',
      writeCsv(w, 'nov.csv', [BUREAU_HEADER, bureauRow('1')]),
      '--mapping',
      mapping,
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/format\.widths|widths/);
  });
});
