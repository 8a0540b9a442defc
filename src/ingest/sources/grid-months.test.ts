import { describe, expect, it } from 'vitest';
import { type GridFactRow, GridMonths } from './grid-months.js';
import type { MappedFact } from './map-row.js';

const AT = Date.parse('2025-10-28T00:00:00+08:00');
const SUBJECT = { national_id: '110105196707106934', full_name: '王强' };

function month(type: string, data: Record<string, number | string>, last: string): MappedFact {
  return { id: 'bank-a|A1#2025-10', type, at: AT, subject: SUBJECT, data, line: 2, gridLastMonth: last };
}

function stored(id: string, f: MappedFact): GridFactRow {
  const body = JSON.stringify({
    id,
    source: 'bureau',
    type: f.type,
    occurredAt: new Date(f.at).toISOString(),
    subject: f.subject,
    data: f.data,
  });
  return { id, type: f.type, body, retracts: null };
}

const reader = (rows: GridFactRow[]) => ({ facts: () => rows, close: () => {} });
const months = (rows: GridFactRow[], facts: MappedFact[]) =>
  new GridMonths(reader(rows), 'repayment_grid').months(facts).out;
const repaid = (last: string) => month('loan.repaid', { amount: 1000, days_late: 0 }, last);
const overdue = (last: string) => month('loan.overdue', { amount: 1000, cycle: 1 }, last);

describe('GridMonths: a month against the versions stored', () => {
  it('after a crash between a new version and the retraction of the old, keeps the one the file says', () => {
    const rows = [
      stored('bank-a|A1#2025-10', repaid('2025-10')),
      stored('bank-a|A1#2025-10~2025-11', overdue('2025-11')),
    ];
    const out = months(rows, [overdue('2025-11')]);
    expect(
      out.map((g) => ('stored' in g ? `stored ${g.fact.id}` : `send ${g.fact.id} ${g.fact.retracts ?? ''}`)),
    ).toEqual(['stored bank-a|A1#2025-10', 'send bank-a|A1#2025-10~retracted bank-a|A1#2025-10']);
    expect('stored' in (out[0] as object) && (out[0] as { stored: string }).stored).toBe(rows[1]?.body);
  });

  it('after the same crash, an older file imported late keeps the newer word and still ends the old', () => {
    const rows = [
      stored('bank-a|A1#2025-10', repaid('2025-10')),
      stored('bank-a|A1#2025-10~2025-11', overdue('2025-11')),
    ];
    const out = months(rows, [repaid('2025-10')]);
    expect(out).toHaveLength(2);
    expect((out[0] as { stored: string }).stored).toBe(rows[1]?.body);
    expect(out[1]?.fact.retracts).toBe('bank-a|A1#2025-10');
  });

  it('never reuses an id a retracted version had', () => {
    const rows: GridFactRow[] = [
      stored('bank-a|A1#2025-10', repaid('2025-10')),
      { id: 'bank-a|A1#2025-10~retracted', type: null, body: '{}', retracts: 'bank-a|A1#2025-10' },
      stored('bank-a|A1#2025-10~2025-11', overdue('2025-11')),
      {
        id: 'bank-a|A1#2025-10~2025-11~retracted',
        type: null,
        body: '{}',
        retracts: 'bank-a|A1#2025-10~2025-11',
      },
      stored('bank-a|A1#2025-10~2025-11.2', repaid('2025-11')),
    ];
    const out = months(rows, [overdue('2025-11')]);
    expect(out.map((g) => g.fact.id)).toEqual([
      'bank-a|A1#2025-10~2025-11.3',
      'bank-a|A1#2025-10~2025-11.2~retracted',
    ]);
  });

  it('sends the stored line again when only the person columns changed', () => {
    const rows = [stored('bank-a|A1#2025-10', repaid('2025-10'))];
    const later = { ...repaid('2025-11'), subject: { ...SUBJECT, date_of_birth: '1967-07-10' } };
    const out = months(rows, [later]);
    expect(out).toEqual([{ stored: rows[0]?.body, fact: later }]);
  });

  it('refuses an account given again in the file with another grid, and takes it again as given', () => {
    const gm = new GridMonths(reader([]), 'repayment_grid');
    expect(gm.months([repaid('2025-10')]).refusals).toEqual([]);
    expect(gm.months([{ ...repaid('2025-10'), line: 3 }])).toMatchObject({ refusals: [] });
    const other = gm.months([{ ...overdue('2025-10'), line: 4 }]);
    expect(other.out).toEqual([]);
    expect(other.refusals).toEqual([
      {
        line: 4,
        column: 'repayment_grid',
        reason:
          'account "bank-a|A1" is given again with another grid (line 2): which one is the bureau\'s cannot be told, so this row is left out',
      },
    ]);
  });
});
