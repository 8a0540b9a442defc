import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPECIAL_STEMS, specialCategoryOf, specialStemOf } from './names.js';

// The plain definition the stem pattern must agree with: the first stem of the table, in order,
// that the word starts with.
function firstStem(word: string) {
  for (const [stem, category, what] of SPECIAL_STEMS) {
    if (word.startsWith(stem)) return { category, word, what };
  }
  return undefined;
}

describe('specialStemOf', () => {
  const stems = SPECIAL_STEMS.map(([stem]) => stem);

  it('finds, for every stem with any ending, the first stem of the table the word starts with', () => {
    for (const stem of stems) {
      for (const word of [stem, `${stem}s`, `${stem}ing`, `x${stem}`, stem.slice(0, -1)]) {
        expect(specialStemOf(word), word).toEqual(firstStem(word));
      }
    }
    // Stems that are prefixes of one another: the earlier one in the table wins.
    expect(specialStemOf('rallies')).toEqual(firstStem('rallies'));
    expect(specialStemOf('voters')?.what).toBe('voting');
  });

  it('agrees with the plain loop on generated words', () => {
    const word = fc
      .tuple(fc.constantFrom('', ...stems), fc.stringMatching(/^[a-z]{0,8}$/))
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(word, (w) => {
        expect(specialStemOf(w)).toEqual(firstStem(w));
      }),
      { numRuns: 2000 },
    );
  });

  it('is the last step of specialCategoryOf', () => {
    expect(specialCategoryOf('attendedProtests')).toEqual({
      category: 'political',
      word: 'protests',
      what: 'protests',
    });
    expect(specialCategoryOf('unionpay.payment')).toBeUndefined();
  });
});
