import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignNames } from './align.js';
import { referenceAlignNames } from './align-reference.case.js';
import { alignScore, NameUnits } from './align-score.js';
import { fullKey } from './blocking-keys.js';
import { nameTokens } from './name-tokens.js';
import { keyHash } from './postings.js';
import { dobDigits } from './qualifiers.js';
import { ScreenIndex } from './screen-index.js';
import type { ListedPerson } from './types.js';

const listed: ListedPerson[] = [
  {
    subjectId: 'P-habbash',
    names: ['George Habbash'],
    dob: '1926-08-02',
    country: 'JO',
    sex: 'M',
    flags: ['sanctioned'],
  },
  { subjectId: 'P-emma', names: ['Emma Daniels'], dob: '1985-04-12', sex: 'F', flags: ['dishonest-debtor'] },
  {
    subjectId: 'P-wang',
    names: ['王建华', 'Wang Jianhua'],
    dob: '1990-03-07',
    sex: 'M',
    ids: ['1101051990****451X'],
    flags: ['dishonest-debtor'],
  },
  { subjectId: 'P-wang-2', names: ['王建华'], dob: '1971-11-30', sex: 'M', flags: ['dishonest-debtor'] },
  { subjectId: 'P-li', names: ['李娜'], dob: '1982-02-21', sex: 'F', flags: ['registered-debtor'] },
];
const ix = new ScreenIndex(listed);
const ids = (name: string, extra: Record<string, string> = {}) =>
  ix.search({ name, ...extra }).candidates.map((c) => c.subjectId);

describe('screening: the false positives other screeners are known for', () => {
  it('"George Bush" is not "George Habbash"', () => {
    expect(ids('George Bush')).toEqual([]);
    expect(ids('George W. Bush', { dob: '1946-07-06' })).toEqual([]);
    expect(ids('George Habbash')).toEqual(['P-habbash']);
  });

  it('"Emma LLC" is not "Emma Daniels", nor is plain "Emma"', () => {
    const r = ix.search({ name: 'Emma LLC' });
    expect(r.candidates).toEqual([]);
    expect(r.organisation).toBe(true);
    expect(r.refused).toMatch(/legal form/);
    expect(ids('Emma')).toEqual([]);
    expect(ids('Emma Daniels')).toEqual(['P-emma']);
  });

  it('a name that is only legal-form words matches nothing', () => {
    for (const name of ['LLC', 'Ltd.', 'GmbH & Co. KG', 'Holdings Inc', '有限公司', 'Mr.']) {
      const r = ix.search({ name });
      expect(r.candidates, name).toEqual([]);
      expect(r.refused, name).toBeDefined();
    }
  });

  it('"Li Na" is not "Li Nan" and "Wang Jian" is not "Wang Jianhua"', () => {
    expect(ids('Li Nan')).toEqual([]);
    expect(ids('Wang Jian')).toEqual([]);
  });
});

describe('screening: finding the listed person from a name', () => {
  it('aligns order, pinyin and characters, and syllables written together or apart', () => {
    for (const name of ['王建华', 'Wang Jianhua', 'Jianhua Wang', 'WANG Jian-Hua', 'jian hua wang']) {
      expect(ids(name, { dob: '1990-03-07' })[0], name).toBe('P-wang');
    }
  });

  it('tolerates a typo per part and says so', () => {
    const r = ix.search({ name: 'Wang Jainhua', dob: '1990-03-07' });
    expect(r.candidates[0]?.subjectId).toBe('P-wang');
    expect(r.candidates[0]?.explanation.join('\n')).toMatch(/typo/);
  });

  it('ranks namesakes by date of birth, and a different date of birth rules one out', () => {
    expect(ids('Wang Jianhua').sort()).toEqual(['P-wang', 'P-wang-2']);
    expect(ids('Wang Jianhua', { dob: '1971-11-30' })).toEqual(['P-wang-2']);
    expect(ids('Wang Jianhua', { dob: '2001-01-01' })).toEqual([]);
  });

  it('an ID number (masked or full) confirms or rules out; sex and country qualify', () => {
    // P-wang-2 has no ID on file, but was born in 1971: the ID given says 1990-03-07.
    expect(ids('Wang Jianhua', { id: '11010519900307451X' })).toEqual(['P-wang']);
    // Born 1990-03-07 too, but not P-wang's ID (its visible characters differ); nor P-wang-2's birth.
    expect(ids('Wang Jianhua', { id: '110105199003074528' })).toEqual([]);
    expect(ids('Wang Jianhua', { id: '110105197111304520' })).toEqual(['P-wang-2']);
    expect(ids('Li Na', { sex: 'M' })).toEqual([]);
    expect(ids('Li Na', { sex: 'F' })).toEqual(['P-li']);
    expect(ids('George Habbash', { country: 'GB' })).toEqual([]);
  });

  it('explains every candidate', () => {
    const c = ix.search({ name: 'Jianhua Wang', dob: '1990-03-07' }).candidates[0];
    expect(c?.explanation[0]).toMatch(/^name 1: /);
    expect(c?.explanation).toContain('date of birth match: born 1990-03-07 (+0.08)');
    expect(c?.flags).toEqual(['dishonest-debtor']);
  });
});

const part = fc.stringMatching(/^[a-z]{2,9}$/);

describe('screening properties', () => {
  it('a name aligns with itself and with any rotation of its parts with score 1', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), fc.nat(), (ps, r) => {
        const k = r % ps.length;
        const rotated = [...ps.slice(k), ...ps.slice(0, k)];
        expect(alignNames(ps, ps).score).toBe(1);
        expect(alignNames(rotated, ps).score).toBe(1);
      }),
    );
  });

  it('an extra part on one side only always lowers the score below 1', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 3 }), part, (ps, extra) => {
        fc.pre(!ps.some((p) => p.includes(extra) || extra.includes(p)));
        expect(alignNames([...ps, extra], ps).score).toBeLessThan(1);
      }),
    );
  });

  it('adding a legal form to any person name makes it an organisation that matches no person', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Emma Daniels', 'Wang Jianhua', 'George Habbash', '李娜'),
        fc.constantFrom('LLC', 'Ltd', 'GmbH', 'Inc.', '有限公司'),
        (n, form) => {
          const r = ix.search({ name: `${n} ${form}` });
          expect(r.organisation).toBe(true);
          expect(r.candidates).toEqual([]);
        },
      ),
    );
  });

  it('pinyin and characters give the same parts', () => {
    expect(nameTokens('王建华').tokens).toEqual(nameTokens('Wang Jianhua').tokens);
    expect(nameTokens('吕丽').tokens).toEqual(nameTokens('Lyu Li').tokens);
  });
});

describe('screening: the fast alignment against the reference', () => {
  const syllable = fc.constantFrom(
    'wang',
    'wei',
    'wii',
    'jian',
    'jain',
    'hua',
    'li',
    'na',
    'nan',
    'zhang',
    'zhnag',
  );
  const name = fc.array(fc.oneof(part, syllable), { minLength: 0, maxLength: 5 });

  it('alignScore gives the reference score to the last bit, for any two names', () => {
    const q = new NameUnits();
    const c = new NameUnits();
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(alignScore(q.fill(a), c.fill(b))).toBe(referenceAlignNames(a, b).score);
      }),
      { numRuns: 2000 },
    );
  });

  it('alignNames gives the reference alignment (parts, leftovers, order), for any two names', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(alignNames(a, b)).toEqual(referenceAlignNames(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('screening: candidates and a growing index', () => {
  it('a candidate serialises with its alignment, notes and explanation', () => {
    const c = ix.search({ name: 'Wang Jianhua', dob: '1990-03-07' }).candidates[0];
    const json = JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
    expect(json.subjectId).toBe('P-wang');
    expect(json.explanation).toEqual(c?.explanation);
    expect(json.qualifiers).toEqual(c?.qualifiers);
    expect((json.name as { score: number }).score).toBe(1);
  });

  it('people added after a search are found by the next one, typos included', () => {
    const grown = new ScreenIndex(listed);
    expect(grown.search({ name: 'Zhang Xiaoming' }).candidates).toEqual([]);
    expect(grown.search({ name: 'Zhnag Xiaoming' }).candidates).toEqual([]);
    grown.add({ subjectId: 'P-zhang', names: ['张晓明'], dob: '1988-05-05', flags: ['dishonest-debtor'] });
    expect(grown.search({ name: 'Zhang Xiaoming' }).candidates.map((c) => c.subjectId)).toEqual(['P-zhang']);
    expect(grown.search({ name: 'Zhnag Xiaoming' }).candidates.map((c) => c.subjectId)).toEqual(['P-zhang']);
    expect(
      grown.search({ name: 'Wang Jianhua', dob: '1971-11-30' }).candidates.map((c) => c.subjectId),
    ).toEqual(['P-wang-2']);
  });
});

describe('screening: hashed keys', () => {
  // Two names whose full keys share a 32-bit hash (found by a birthday search over random words).
  const listedName = 'Xqvvj Xqxazjss';
  const other = 'Xqbtnb Xqfuctmj';

  it('a name that shares only a key hash with a listed name is not its namesake', () => {
    const hashOf = (n: string) => keyHash(fullKey(nameTokens(n).tokens));
    expect(hashOf(other)).toBe(hashOf(listedName));
    const small = new ScreenIndex([{ subjectId: 'P-x', names: [listedName], flags: ['dishonest-debtor'] }]);
    expect(small.search({ name: other }).candidates).toEqual([]);
    expect(small.search({ name: other, dob: '1990-01-01' }).candidates).toEqual([]);
    expect(small.search({ name: other, sex: 'M' }).candidates).toEqual([]);
    expect(small.search({ name: listedName }).candidates.map((c) => c.subjectId)).toEqual(['P-x']);
    // The collision does not stop the search for typos either.
    small.add({ subjectId: 'P-y', names: ['Xqbtnb Xqfuctnj'], flags: ['dishonest-debtor'] });
    expect(small.search({ name: other }).candidates.map((c) => c.subjectId)).toEqual(['P-y']);
  });
});

describe('dobDigits', () => {
  it('reads a date or a year, and nothing that is not a real day', () => {
    expect(dobDigits('1990-03-07')).toBe('19900307');
    expect(dobDigits('1990/03/07')).toBe('19900307');
    expect(dobDigits('1990')).toBe('1990');
    expect(dobDigits('2000-02-29')).toBe('20000229');
    for (const bad of ['1990-02-30', '1990-13-01', '19900000', '1900-02-29', 'garbage', '03/07/1990']) {
      expect(dobDigits(bad), bad).toBeUndefined();
    }
  });
});
