import fc from 'fast-check';
import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { NAME_TABLES, typo } from './names.js';
import { Prng } from './prng.js';

const romanise = (hanzi: string, surname: boolean): string =>
  pinyin(hanzi, {
    toneType: 'none',
    separator: '',
    ...(surname ? { mode: 'surname' as const } : {}),
  }).replaceAll('ü', 'v');

describe('name tables', () => {
  it('spell every name in pinyin as pinyin-pro reads its characters', () => {
    for (const s of NAME_TABLES.surnames) expect(s.pinyin.toLowerCase()).toBe(romanise(s.hanzi, true));
    for (const g of [...NAME_TABLES.male, ...NAME_TABLES.female]) {
      expect(g.pinyin.toLowerCase()).toBe(romanise(g.hanzi, false));
    }
  });
});

describe('typo', () => {
  it('always changes a name, keeps its initial and changes its length by at most one', () => {
    const names = [...NAME_TABLES.surnames, ...NAME_TABLES.male, ...NAME_TABLES.female].map((n) => n.pinyin);
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...names), (seed, name) => {
        const t = typo(new Prng(seed), name);
        expect(t).not.toBe(name);
        expect(t[0]).toBe(name[0]);
        expect(Math.abs(t.length - name.length)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
