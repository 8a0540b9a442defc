import { describe, expect, it } from 'vitest';
import { nameTokens } from './name-tokens.js';
import { ScreenIndex } from './screen-index.js';
import type { ListedPerson } from './types.js';

const person = (subjectId: string, name: string): ListedPerson => ({
  subjectId,
  names: [name],
  flags: ['dishonest-debtor'],
});

const found = (listed: readonly ListedPerson[], name: string): string[] =>
  new ScreenIndex(listed).search({ name }).candidates.map((c) => c.subjectId);

// One Russian name has several Latin spellings in use: the English rendering (Alexander), the
// transliterations (Aleksandr, ICAO and the library; Alexandr, older passports) and mixes of both.
// `x` against `ks` is two slips in one part, so each was a stranger to the others.
describe('screening: Latin spellings of one name', () => {
  const spellings = ['Alexander', 'Aleksandr', 'Alexandr', 'Aleksander', 'Александр'];

  it('Alexander, Aleksandr, Alexandr and Александр Petrov find each other, either side listed', () => {
    for (const listed of spellings) {
      for (const asked of spellings) {
        expect(found([person('P1', `${listed} Petrov`)], `${asked} Petrov`), `${listed} ← ${asked}`).toEqual([
          'P1',
        ]);
      }
    }
  });

  it('x and ks are one spelling in a Latin name (Maxim, Maksim), not in pinyin (Xiaoming)', () => {
    expect(found([person('P1', 'Maxim Sokolov')], 'Maksim Sokolov')).toEqual(['P1']);
    expect(nameTokens('Maxim Sokolov').tokens).toEqual(nameTokens('Maksim Sokolov').tokens);
    expect(nameTokens('Wang Xiaoming').tokens).toEqual(['wang', 'xiao', 'ming']);
    expect(found([person('P1', '王晓明')], 'Wang Xiaoming')).toEqual(['P1']);
    expect(found([person('P1', '王晓明')], 'Xiaoming Wang')).toEqual(['P1']);
  });

  it('still no namesake of another name: Alexander Petrov is not Alexey Petrov, nor Bush Habbash', () => {
    expect(found([person('P1', 'Alexey Petrov')], 'Alexander Petrov')).toEqual([]);
    expect(found([person('P1', 'George Habbash')], 'George Bush')).toEqual([]);
    expect(found([person('P1', 'Alexander Petrov')], 'Alexander')).toEqual([]);
  });
});

// A Latin word was read as pinyin when it split into an initial and a final that pinyin never
// joins (`rin`, `xan`, `der`): `Yuri Gagarin` became yu-ri-ga-ga-rin and `Alexander Li`
// a-le-xan-der-li, which no Latin spelling of the same name (Yuriy, Aleksandr) lines up with.
describe('screening: a Latin name is pinyin only in syllables pinyin has', () => {
  it('Yuri Gagarin and Alexander Li are words, found under their other spellings', () => {
    expect(nameTokens('Yuri Gagarin')).toMatchObject({ tokens: ['yuri', 'gagarin'], chinese: false });
    expect(nameTokens('Alexander Li').chinese).toBe(false);
    expect(found([person('P1', 'Юрий Гагарин')], 'Yuri Gagarin')).toEqual(['P1']);
    expect(found([person('P1', 'Yuri Gagarin')], 'Yuriy Gagarin')).toEqual(['P1']);
    expect(found([person('P1', 'Alexander Li')], 'Aleksandr Li')).toEqual(['P1']);
  });

  it('pinyin is still read as pinyin, whole names and given names written as one word', () => {
    for (const [name, tokens] of [
      ['Wang Jianhua', ['wang', 'jian', 'hua']],
      ['Zhang Xiaoming', ['zhang', 'xiao', 'ming']],
      ['Ouyang Nana', ['ou', 'yang', 'na', 'na']],
      ['Lü Xiaoyue', ['lu', 'xiao', 'yue']],
      ['Zhuang Shuangyun', ['zhuang', 'shuang', 'yun']],
      ['Qiu Jiong', ['qiu', 'jiong']],
    ] as const)
      expect(nameTokens(name), name).toMatchObject({ tokens, chinese: true });
  });
});

// German umlauts have two spellings: the letter (Müller) and the vowel with an e (Mueller), which is
// how a passport's machine-readable zone writes it (ICAO 9303), so a relying party reading the
// MRZ asks for MUELLER. Jürgen Müller as Juergen Mueller is a slip in each part, and was missed.
describe('screening: ä, ö, ü and ae, oe, ue', () => {
  it('Juergen Mueller and Bjoern Schroeder find Jürgen Müller and Björn Schröder, either side listed', () => {
    const pairs = [
      ['Jürgen Müller', 'Juergen Mueller'],
      ['Jürgen Müller', 'JUERGEN MUELLER'],
      ['Björn Schröder', 'Bjoern Schroeder'],
      ['Käthe Schäfer', 'Kaethe Schaefer'],
    ] as const;
    for (const [a, b] of pairs) {
      expect(found([person('P1', a)], b), `${a} ← ${b}`).toEqual(['P1']);
      expect(found([person('P1', b)], a), `${b} ← ${a}`).toEqual(['P1']);
    }
  });

  it('pinyin keeps its ue (Xue, Yue), and other names stay apart', () => {
    expect(nameTokens('Wang Xue').tokens).toEqual(['wang', 'xue']);
    expect(nameTokens('Xue Smith').tokens).toEqual(['xue', 'smith']);
    expect(found([person('P1', '王雪')], 'Wang Xue')).toEqual(['P1']);
    expect(found([person('P1', '李月')], 'Li Yue')).toEqual(['P1']);
    expect(found([person('P1', 'Manuel Ortega')], 'Manuel Ortega')).toEqual(['P1']);
    expect(found([person('P1', 'Jürgen Müller')], 'Jürgen Mahler')).toEqual([]);
    expect(found([person('P1', 'Emma Daniels')], 'Emma LLC')).toEqual([]);
  });
});
