import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignNames } from './align.js';
import { isPinyinSyllable } from './pinyin-syllables.js';
import { ScreenIndex } from './screen-index.js';
import { tokenSimilarity } from './similarity.js';

// One letter between two real pinyin syllables is two characters, two names: 王建华 (Wang Jianhua)
// is not 王江华 (Wang Jianghua), 赵 (Zhao) not 周 (Zhou). Counted as a typo, a namesake of another
// name was listed as the person. A slip that lands on no syllable (`Jainhua`) is still a typo.
describe('screening: pinyin syllables one letter apart are different names', () => {
  const ix = new ScreenIndex([
    { subjectId: 'P-wang', names: ['王建华'], flags: ['dishonest-debtor'] },
    { subjectId: 'P-zhao', names: ['赵敏'], flags: ['dishonest-debtor'] },
  ]);
  const ids = (name: string) => ix.search({ name }).candidates.map((c) => c.subjectId);

  it('another syllable is another name; a slip that is no syllable is a typo', () => {
    for (const name of ['Wang Jianghua', '王江华', 'Wang Jianhuan', 'Zhou Min', 'Zhao Ming'])
      expect(ids(name), name).toEqual([]);
    for (const name of ['Wang Jainhua', 'Wagn Jianhua', 'Jianhua Wang'])
      expect(ids(name), name).toEqual(['P-wang']);
    for (const name of ['Zhao Min', 'Zaho Min']) expect(ids(name), name).toEqual(['P-zhao']);
  });

  const syllables = [
    'jian',
    'jiang',
    'hua',
    'huan',
    'zhao',
    'zhou',
    'wang',
    'wan',
    'ming',
    'min',
    'ling',
    'xiao',
    'xia',
    'qian',
    'chen',
    'chan',
  ];
  it('property: two different syllables never align, whatever their similarity', () => {
    fc.assert(
      fc.property(fc.constantFrom(...syllables), fc.constantFrom(...syllables), (a, b) => {
        fc.pre(a !== b && isPinyinSyllable(a) && isPinyinSyllable(b));
        const r = alignNames(['li', a], ['li', b]);
        expect(r.parts.map((p) => p.query)).toEqual(['li']);
        expect(r.score).toBeLessThan(1);
        // Lengths differ by one at most here: as plain words they would be one slip apart.
        if (tokenSimilarity(a, b) >= 0.7) expect(r.unmatchedQuery).toEqual([a]);
      }),
    );
  });
});
