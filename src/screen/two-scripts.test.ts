import { describe, expect, it } from 'vitest';
import { nameTokens } from './name-tokens.js';
import { ScreenIndex } from './screen-index.js';

describe('screening: a name written in characters and in pinyin side by side', () => {
  const ix = new ScreenIndex([
    { subjectId: 'P-li', names: ['李娜'], flags: ['x'] },
    { subjectId: 'P-wang', names: ['Wang Jianhua'], flags: ['x'] },
  ]);
  const ids = (name: string) => ix.search({ name }).candidates.map((c) => c.subjectId);

  it('is one name, as forms and KYC records write it (李娜 (Li Na))', () => {
    for (const name of ['李娜 (Li Na)', '李娜 Li Na', '李娜/LI NA', 'Li Na (李娜)', 'NA Li 李娜'])
      expect(ids(name), name).toEqual(['P-li']);
    expect(nameTokens('Wang Jianhua 王建华').tokens).toEqual(['wang', 'jian', 'hua']);
    expect(ids('王建华（Wang Jian-Hua）')).toEqual(['P-wang']);
  });

  it('reads pinyin with tone marks or in full-width letters beside the characters', () => {
    expect(nameTokens('王建华 Wáng Jiànhuá').tokens).toEqual(['wang', 'jian', 'hua']);
    expect(nameTokens('吕布 Lǚ Bù').tokens).toEqual(['lu', 'bu']);
    expect(nameTokens('李娜 Ｌｉ Ｎａ').tokens).toEqual(['li', 'na']);
    expect(ids('李娜 Lǐ Nà')).toEqual(['P-li']);
  });

  it('keeps both when the pinyin is another name', () => {
    expect(nameTokens('李娜 Emma').tokens).toEqual(['li', 'na', 'emma']);
    expect(ids('李娜 Li Nan')).toEqual([]);
  });
});
