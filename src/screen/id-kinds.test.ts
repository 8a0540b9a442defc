import { describe, expect, it } from 'vitest';
import { compareId } from './qualifiers.js';
import { ScreenIndex } from './screen-index.js';

const ix = new ScreenIndex([
  { subjectId: 'P-wang', names: ['王丽'], ids: ['1101051949****002X'], flags: ['x'] },
  { subjectId: 'P-zhang', names: ['张伟'], ids: ['110101199003074514'], flags: ['x'] },
  { subjectId: 'P-li', names: ['Li Na'], ids: ['E12345678'], country: 'CHN', flags: ['x'] },
]);
const ids = (name: string, id: string) => ix.search({ name, id }).candidates.map((c) => c.subjectId);

describe('screening: ID numbers as relying parties write them', () => {
  it('a resident ID written with hyphens or dashes is the same ID', () => {
    for (const id of ['110101-19900307-4514', '110101–19900307–4514', '110101.19900307.4514'])
      expect(ids('张伟', id), id).toEqual(['P-zhang']);
    expect(ids('王丽', '110105-19491231-002X')).toEqual(['P-wang']);
    expect(compareId('110101-19900307-4514', '110101199003074514').outcome).toBe('match');
    // A different ID, hyphens or not, still rules the listed person out.
    expect(ids('张伟', '110101-19900307-4522' /* valid, not hers */)).toEqual([]);
  });

  it('a passport number and a resident ID are not compared with each other', () => {
    // The relying party holds the passport, the list the resident ID (or the reverse): neither says
    // the person is someone else.
    const c = ix.search({ name: '张伟', id: 'E98765432' }).candidates[0];
    expect(c?.subjectId).toBe('P-zhang');
    expect(c?.explanation.join('\n')).toMatch(/id unknown: .*not compared/);
    expect(ids('Li Na', '110101199003074514')).toEqual(['P-li']);
    // Two passport numbers that differ still differ.
    expect(ids('Li Na', 'E98765432')).toEqual([]);
    expect(ids('Li Na', 'E12345678')).toEqual(['P-li']);
  });
});
