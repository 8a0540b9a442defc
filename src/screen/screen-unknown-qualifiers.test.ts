import { describe, expect, it } from 'vitest';
import { ScreenIndex } from './screen-index.js';

const ix = new ScreenIndex([
  { subjectId: 'P-anna', names: ['Anna Schmidt'], flags: ['dishonest-debtor'] },
  { subjectId: 'P-li', names: ['李娜'], dob: '1982-02-21', flags: ['dishonest-debtor'] },
]);

describe('screening: a qualifier given that the listing cannot be compared with', () => {
  it('says the date of birth and the ID number were not compared, and why, without moving the score', () => {
    const c = ix.search({ name: 'Anna Schmidt', dob: '1990-01-01', id: 'E12345678' }).candidates[0];
    expect(c?.subjectId).toBe('P-anna');
    expect(c?.score).toBe(1);
    expect(c?.explanation).toContain('date of birth unknown: no date of birth listed, not compared (+0)');
    expect(c?.explanation).toContain('id unknown: no ID number listed, not compared (+0)');
    expect(c?.qualifiers.map((n) => [n.field, n.outcome, n.weight])).toEqual([
      ['date_of_birth', 'unknown', 0],
      ['id', 'unknown', 0],
    ]);
  });

  it('says nothing of a qualifier not given', () => {
    expect(ix.search({ name: 'Anna Schmidt' }).candidates[0]?.explanation).toEqual(['name 1: anna, schmidt']);
    const li = ix.search({ name: 'Li Na', dob: '1982-02-21' }).candidates[0];
    expect(li?.explanation).toEqual(['name 1: li, na', 'date of birth match: born 1982-02-21 (+0.08)']);
  });
});
