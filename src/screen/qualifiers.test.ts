import { describe, expect, it } from 'vitest';
import { dobDigits } from './qualifiers.js';
import { ScreenIndex } from './screen-index.js';

describe('dates of birth as relying parties and registers write them', () => {
  it('reads year-first dates with a month and day of one digit (1990/3/7), as the importer does', () => {
    for (const t of ['1990/3/7', '1990-3-7', '1990.03.7', '1990年3月7日'])
      expect([t, dobDigits(t)]).toEqual([t, '19900307']);
    // Day-first stays unread: 07.03.1990 could be 3 July.
    for (const t of ['07.03.1990', '7/3/1990', '1990/3', '1990-3-32'])
      expect([t, dobDigits(t)]).toEqual([t, undefined]);
  });

  it('a listed date of birth written 1990/3/7 still qualifies (a namesake born another day is ruled out)', () => {
    const ix = new ScreenIndex([{ subjectId: 'P1', names: ['王建华'], dob: '1990/3/7', flags: ['x'] }]);
    expect(ix.search({ name: '王建华', dob: '1990-03-07' }).candidates[0]?.score).toBe(1);
    expect(ix.search({ name: '王建华', dob: '1971-11-30' }).candidates).toEqual([]);
  });
});

describe('country codes (the API passes the relying party’s text as it came)', () => {
  const ix = new ScreenIndex([{ subjectId: 'P1', names: ['王建华'], country: 'CN', flags: ['x'] }]);
  it('never rules a candidate out on text that is no country code, nor on the other system’s code', () => {
    for (const country of ['中国', 'CHN', 'cn', ' CN ']) {
      expect([country, ix.search({ name: '王建华', country }).candidates.length]).toEqual([country, 1]);
    }
    expect(ix.search({ name: '王建华', country: 'DE' }).candidates).toEqual([]);
  });
});

// A code of no country (`CNH`, a slip for CHN in a furnisher's file or a relying party's form) was
// compared as a country and ruled the listed national out as a foreigner (-0.25, below threshold).
describe('a country code that is no country', () => {
  it('is not used, on either side, and says so', () => {
    const ix = new ScreenIndex([
      { subjectId: 'P1', names: ['王建华'], country: 'CHN', flags: ['x'] },
      { subjectId: 'P2', names: ['李娜'], country: 'CNH', flags: ['x'] },
    ]);
    const one = ix.search({ name: '王建华', country: 'CNH' }).candidates;
    expect(one.map((c) => c.subjectId)).toEqual(['P1']);
    expect(one[0]?.explanation.join('\n')).toMatch(/CNH is no country's code: not used/);
    expect(ix.search({ name: '李娜', country: 'CHN' }).candidates.map((c) => c.subjectId)).toEqual(['P2']);
    // A real code that differs still counts against.
    expect(ix.search({ name: '王建华', country: 'KOR' }).candidates).toEqual([]);
  });
});
