import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../identity/validate/resident-id.js';
import { nameTokens } from './name-tokens.js';
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

describe('screening: pinyin with tone numbers', () => {
  it('pinyin written with tone numbers is the same name', () => {
    expect(nameTokens('Wang2 Jian4hua2').tokens).toEqual(['wang', 'jian', 'hua']);
    expect(nameTokens('zhang1 wei3').tokens).toEqual(['zhang', 'wei']);
    expect(ids('Wang2 Jian4hua2')).toEqual(['P-wang']);
    expect(ids('Li3 Na4')).toEqual(['P-li']);
    expect(ids('Zhang1 Wei3')).toEqual(['P-zhang']);
    expect(nameTokens('Lü3 Bu4').tokens).toEqual(['lu', 'bu']);
    expect(nameTokens('Ｗａｎｇ２ Ｗｅｉ３').tokens).toEqual(['wang', 'wei']);
    // Digits that are not tone numbers after syllables stay: a year is no part of a name.
    expect(nameTokens('Li Na 1982').tokens).toContain('1982');
    expect(nameTokens('Li9 Na').tokens).toContain('li9');
  });

  it('any pinyin name with a tone number after each syllable folds as the name without them', () => {
    const syllable = fc.constantFrom(
      ...'wang li zhang liu chen yang huang zhao zhou xu sun ma zhu hu guo lin luo gao wei jian hua ming na xiao yong jun fang xiu ying qiang lei yan lv nv shuang zhuang chuan qiong'.split(
        ' ',
      ),
    );
    const part = fc.array(fc.tuple(syllable, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(part, { minLength: 2, maxLength: 3 }), (parts) => {
        const plain = parts.map((p) => p.map(([s]) => s).join('')).join(' ');
        const toned = parts.map((p) => p.map(([s, t]) => `${s}${t}`).join('')).join(' ');
        expect(nameTokens(toned).tokens).toEqual(nameTokens(plain).tokens);
      }),
    );
  });
});
