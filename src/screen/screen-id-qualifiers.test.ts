import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../identity/validate/resident-id.js';
import { ScreenIndex } from './screen-index.js';
import type { ListedPerson } from './types.js';

/** A resident ID that passes its GB 11643 check: region 110105, birth date, sequence. */
const residentId = (birth: string, seq: string): string => {
  const first17 = `110105${birth}${seq}`;
  return first17 + residentIdCheckChar(first17);
};

const listed: ListedPerson[] = [
  { subjectId: 'P-li', names: ['李娜'], dob: '1982-02-21', sex: 'F', flags: ['dishonest-debtor'] },
  {
    subjectId: 'P-zhang',
    names: ['张伟'],
    dob: '1985-01-01',
    ids: [residentId('19850101', '123')],
    flags: ['dishonest-debtor'],
  },
  { subjectId: 'P-wang', names: ['王建华'], flags: ['dishonest-debtor'] },
];
const ix = new ScreenIndex(listed);
const ids = (name: string, extra: Record<string, string> = {}) =>
  ix.search({ name, ...extra }).candidates.map((c) => c.subjectId);

describe('screening: an ID number given with the name', () => {
  it("a resident ID given without a date of birth contradicts a listed person's date of birth", () => {
    // The listed Li Na has no ID on file, only her birth date: an ID born in 1990 is someone else.
    expect(ids('Li Na', { id: residentId('19900101', '123') })).toEqual([]);
    const same = ix.search({ name: 'Li Na', id: residentId('19820221', '002') }).candidates;
    expect(same.map((c) => c.subjectId)).toEqual(['P-li']);
    expect(same[0]?.explanation.join('\n')).toMatch(
      /date of birth match: born 1982-02-21 \(by the ID number given\)/,
    );
    // An ID that fails its own check is a keying slip: its birth date is not used either.
    const slip =
      residentId('19900101', '123').slice(0, 17) + (residentId('19900101', '123').endsWith('1') ? '2' : '1');
    expect(ids('Li Na', { id: slip })).toEqual(['P-li']);
  });
  it('an ID number that is blank is no ID number: it does not rule out the listed person', () => {
    expect(ids('Zhang Wei')).toEqual(['P-zhang']);
    for (const id of [' ', '  ', '\t', '\u3000'])
      expect(ids('Zhang Wei', { id }), JSON.stringify(id)).toEqual(['P-zhang']);
  });
});
