import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { book, outcome } from './hard-line.case.js';

// Pieces of a special word were read from five letters on, so four passed the hard line:
// startsWith('mosq') picks out mosques and contains('reli') religious donations as surely as the
// whole word. Four-letter beginnings that are no word of their own and begin no ordinary word a
// rule would match are now read as the word (names.ts, FRAGMENTS); ordinary four-letter words and
// beginnings of commerce words still load.

const refused: ReadonlyArray<readonly [string, string, string]> = [
  ['mosq', 'religion', 'mosque'],
  ['Reli', 'religion', 'religio'],
  ['syna', 'religion', 'synagogue'],
  ['ethn', 'ethnicity', 'ethnic'],
  ['sexu', 'sex-life', 'sexual'],
  ['psyc', 'health', 'psychiatr'],
  ['preg', 'health', 'pregnan'],
  ['uygh', 'ethnicity', 'uyghur'],
];

// Ordinary words and beginnings of ordinary words a shop, wallet, ride or court rule reads.
const ORDINARY = [
  'shop',
  'food',
  'rent',
  'bill',
  'cash',
  'card',
  'loan',
  'taxi',
  'ride',
  'fuel',
  'bank',
  'sale',
  'book',
  'meal',
  'gift',
  'fees',
  'late',
  'paid',
  'debt',
  'fine',
  'cafe',
  'wine',
  'beer',
  'toys',
  'game',
  'home',
  'auto',
  'elec',
  'groc',
  'reta',
  'cust',
  'merc',
  'subs',
  'prem',
  'disc',
  'refu',
  'depo',
  'deli',
  'prot',
  'poli',
  'medi',
  'hosp',
  'surg',
  'insu',
  'canc',
  'chri',
  'isla',
  'budd',
  'chur',
  'raci',
  'unio',
  'dent',
  'voic',
  'mens',
  'meth',
  'rama',
  'temp',
  'over',
  'comm',
  'tran',
  'demo',

  'face',
  'cont',
  'pres',
  'acti',
];

describe('four-letter pieces of special words in string functions', () => {
  for (const [piece, category, whole] of refused) {
    for (const fn of ['startsWith', 'contains', 'matches'] as const) {
      const expr = `fact.comment.${fn}('${fn === 'matches' ? `^${piece}` : piece}')`;
      it(`refuses ${expr}, naming the word it begins`, () => {
        const e = outcome(book(expr));
        expect(e?.code, expr).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
        const d = e?.details.find((x) => x.code === 'CREDENCE_E_RULEBOOK_PROHIBITED');
        expect(d?.path).toBe('rules[0].when');
        expect(d?.reason).toContain(`picks out facts by "${piece.toLowerCase()}", part of "${whole}"`);
        expect(d?.reason).toContain(`(${category})`);
      });
    }
  }

  it('refuses a fragment built from pieces, and an ordinary word so built loads', () => {
    const e = outcome(book("fact.comment.startsWith('mo' + 'sq')"));
    expect(e?.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e?.details.map((d) => d.reason).join('\n')).toMatch(/picks out facts by "mosq"/);
    expect(outcome(book("fact.comment.startsWith('sh' + 'op')"))).toBeUndefined();
  });

  it('loads ordinary four-letter words and beginnings, in any string function and any case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ORDINARY),
        fc.constantFrom('startsWith', 'contains', 'endsWith', 'matches'),
        fc.boolean(),
        (word, fn, upper) => {
          const w = upper ? word.toUpperCase() : word;
          const e = outcome(book(`fact.comment.${fn}('${w}')`));
          expect(e, `${fn}('${w}'): ${e?.details.map((d) => d.reason).join('; ')}`).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads four letters only as a whole run: a longer ordinary word holding a fragment loads', () => {
    for (const word of ['reliable', 'relief', 'prepaid', 'pharaoh']) {
      expect(outcome(book(`fact.comment.contains('${word}')`)), word).toBeUndefined();
    }
  });
});
