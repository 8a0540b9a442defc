import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY_CIVIC, MARKETPLACE, makeWorld, type World } from '../e2e/cli.js';

// A mapping was checked for special-category names only where it feeds a fact's data, subject or
// type. What else it reads went through unread: a `skip` that leaves out the rows of one faith
// (so who is scored was chosen by religion), a fact id or a register key read from a `religion`
// column (stored in every fact id), the date of a hospital admission as a fact's time. Each
// imported, and the facts were stored and scored.
const PAY_CSV = [
  'record_id,event,occurred_at,account,amount,grp,religion,hospital_admitted_on',
  'r1,payment,2026-06-08T05:57:00Z,pay:a1,10,christian,x,2026-06-08',
  'r2,payment,2026-06-09T05:57:00Z,pay:a2,20,none,y,2026-06-09',
].join('\n');

const events = (lines: Record<string, string>) =>
  [
    'source: pay',
    'kind: platform',
    'types: [payment.completed]',
    lines.skip ?? '',
    'subject: { account: account }',
    'events:',
    `  id: ${lines.id ?? 'record_id'}`,
    '  type: { const: payment.completed }',
    `  at: ${lines.at ?? 'occurred_at'}`,
    '  dataByType:',
    '    payment.completed: { amount: { column: amount, type: number } }',
  ].join('\n');

const register = [
  'source: reg',
  'kind: registry',
  'types: [registry.debtor_listed, registry.debtor_removed]',
  'subject: { account: account }',
  'data: { register: religion, file: record_id }',
  'register:',
  '  key: [religion, record_id]',
  '  mode: delta',
  '  listed: { type: registry.debtor_listed, at: occurred_at }',
  '  removed: { type: registry.debtor_removed, at: occurred_at }',
  '  action: { column: church_action, listing: [listed], update: [updated], removal: [removed] }',
].join('\n');

const grid = [
  'source: bank',
  'kind: bureau',
  'types: [loan.repaid, loan.overdue, loan.settled, loan.defaulted]',
  'subject: { account: account }',
  'data: { lender: lender, loan: account_no }',
  'grid:',
  '  key: [lender, ethnic_group]',
  '  column: repayment_grid',
  '  lastMonth: last_month',
  '  amount: instalment',
  '  types: { normal: loan.repaid, overdue: loan.overdue, settled: loan.settled, defaulted: loan.defaulted }',
].join('\n');

describe('a mapping that reads special-category data outside data and subject (real binary)', () => {
  let w: World;
  afterEach(() => w?.dispose());

  const importWith = (mapping: string, source = 'pay') => {
    const m = join(w.dir, 'm.yaml');
    const f = join(w.dir, 'f.csv');
    writeFileSync(m, mapping);
    writeFileSync(f, PAY_CSV);
    return w.run(['import', source, f, '--mapping', m]);
  };
  const stored = () => {
    const db = new Database(w.db, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM facts').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it.each([
    ['skip values', { skip: 'skip: { column: grp, values: [christian] }' }, 'skip.values', /"christian"/],
    ['skip column', { skip: 'skip: { column: religion, values: [x] }' }, 'skip.column', /"religion"/],
    ['fact id column', { id: 'religion' }, 'events.id', /"religion"/],
    ['fact time column', { at: 'hospital_admitted_on' }, 'events.at', /"hospital_admitted_on"/],
  ])('refuses %s, naming its line and path, and stores nothing', (_what, lines, path, word) => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const r = importWith(events(lines));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/CREDENCE_E_MAPPING_INVALID/);
    const line = r.stderr.split('\n').find((l) => l.includes(` ${path}`)) ?? '';
    expect(line).toMatch(/\/m\.yaml:\d+ /);
    expect(line).toMatch(word);
    expect(line).toMatch(/special-category data/);
    expect(stored()).toBe(0);
  });

  it('refuses a register keyed by a religion column and an action column so named', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const r = importWith(register, 'reg');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ register\.key: column "religion"/);
    expect(r.stderr).toMatch(/ register\.action\.column: column "church_action"/);
    expect(stored()).toBe(0);
  });

  it('refuses a repayment grid keyed by an ethnic-group column', () => {
    w = makeWorld({ programs: [CITY_CIVIC] });
    const r = importWith(grid, 'bank');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/ grid\.key: column "ethnic_group"/);
  });

  it('still imports the same file through a mapping that reads none of them', () => {
    w = makeWorld({ programs: [MARKETPLACE] });
    const r = importWith(events({ skip: 'skip: { column: grp, values: [none] }' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(stored()).toBe(1);
  });
});
