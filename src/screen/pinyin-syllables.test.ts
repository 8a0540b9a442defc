import { describe, expect, it } from 'vitest';
import { splitPinyin } from './pinyin-syllables.js';
import { ScreenIndex } from './screen-index.js';

// Pinyin writes an apostrophe before a syllable that starts with a, o or e (Xi'an, Jian'an), so
// without one, `nana` is na-na, never nan-a. Longest-syllable-first split common given names wrong.
describe('pinyin written as one word', () => {
  it('splits as pinyin orthography reads it: no syllable starting with a, o or e after another', () => {
    for (const [word, syllables] of [
      ['nana', ['na', 'na']],
      ['lina', ['li', 'na']],
      ['jiana', ['jia', 'na']],
      ['xian', ['xian']],
      ['anna', ['an', 'na']],
      ['ouyang', ['ou', 'yang']],
      ['jianhua', ['jian', 'hua']],
      ['jianguo', ['jian', 'guo']],
      ['xiaoou', ['xiao', 'ou']],
      ['yanni', ['yan', 'ni']],
      // Only readable with such a syllable (hao'e, the apostrophe left out): read so, as before.
      ['haoe', ['hao', 'e']],
      // A last letter doubled by a slip is still read (li-i); i, u or ü alone anywhere else is not
      // pinyin (no one writes yi as i), so Russian and western names stay words.
      ['lii', ['li', 'i']],
      ['huu', ['hu', 'u']],
    ] as const)
      expect([word, splitPinyin(word)]).toEqual([word, syllables]);
    for (const word of ['ivanov', 'ivan', 'oliver', 'laura', 'ivanova'])
      expect([word, splitPinyin(word)]).toEqual([word, undefined]);
  });

  it('finds 李娜娜 as Li Nana and 王丽娜 as Wang Lina, in either order', () => {
    const ix = new ScreenIndex([
      { subjectId: 'P-nana', names: ['李娜娜'], flags: ['dishonest-debtor'] },
      { subjectId: 'P-lina', names: ['王丽娜'], flags: ['dishonest-debtor'] },
      { subjectId: 'P-jiana', names: ['张佳娜'], flags: ['dishonest-debtor'] },
      { subjectId: 'P-jianguo', names: ['王建国'], flags: ['dishonest-debtor'] },
    ]);
    const top = (name: string) => ix.search({ name }).candidates.map((c) => [c.subjectId, c.score]);
    expect(top('Li Nana')).toEqual([['P-nana', 1]]);
    expect(top('Nana Li')).toEqual([['P-nana', 1]]);
    expect(top('Wang Lina')).toEqual([['P-lina', 1]]);
    expect(top('Lina Wang')).toEqual([['P-lina', 1]]);
    expect(top('Zhang Jiana')).toEqual([['P-jiana', 1]]);
    expect(top('Wang Jianguo')).toEqual([['P-jianguo', 1]]);
  });
});
