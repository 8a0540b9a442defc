import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionWords, pointsWords } from './condition-words.js';

// A rule's condition and computed points were told to the person as CEL ("each loan.repaid where
// fact.days_late == 0.0 gives 3 points", "gives (fact.amount >= 200.0 ? 5 : 3) points"): the
// explanation's rule "in words" was code. The simple forms the example programs use are now
// words; anything else stays as the rulebook writes it (never a guess).

describe('a condition in words', () => {
  it('says the simple comparisons of a fact field', () => {
    expect(conditionWords('fact.days_late == 0.0')).toBe('whose days late is 0');
    expect(conditionWords('fact.amount > 0.0')).toBe('whose amount is more than 0');
    expect(conditionWords('fact.amount >= 10.0')).toBe('whose amount is at least 10');
    expect(conditionWords('fact.on_time')).toBe('whose on time is true');
    expect(conditionWords('!fact.on_time')).toBe('whose on time is false');
    expect(conditionWords("fact.kind == 'loan' && fact.amount < 5.5")).toBe(
      'whose kind is "loan" and amount is less than 5.5',
    );
  });
  it('leaves anything else as written', () => {
    for (const cel of [
      'fact.a + 1.0 > 2.0',
      'fact.a > 1.0 || fact.b',
      "'x' in fact.tags",
      'size(fact.s) > 2',
    ])
      expect(conditionWords(cel)).toBe(`where ${cel}`);
  });
  it('property: words of a comparison keep its field and number, and no CEL operator', () => {
    const field = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
    const op = fc.constantFrom('==', '!=', '>=', '>', '<=', '<');
    const num = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => Math.round(x * 100) / 100);
    fc.assert(
      fc.property(fc.array(fc.tuple(field, op, num), { minLength: 1, maxLength: 3 }), (clauses) => {
        const cel = clauses
          .map(([f, o, n]) => `fact.${f} ${o} ${Number.isInteger(n) ? `${n}.0` : n}`)
          .join(' && ');
        const words = conditionWords(cel);
        expect(words.startsWith('whose ')).toBe(true);
        expect(words).not.toMatch(/fact\.|==|!=|>=|<=|[<>]|&&/);
        for (const [f, , n] of clauses) {
          expect(words).toContain(f.split('_').filter(Boolean).join(' '));
          expect(words).toContain(String(n));
        }
      }),
    );
  });
});

describe('computed points in words', () => {
  it('says a choice between two numbers on a simple condition', () => {
    expect(pointsWords('fact.amount >= 200.0 ? 5 : 3')).toBe(
      '5 points if its amount is at least 200, else 3 points',
    );
    expect(pointsWords('fact.balance >= 10000.0 ? 10 : 1')).toBe(
      '10 points if its balance is at least 10000, else 1 point',
    );
  });
  it('leaves anything else as written', () => {
    expect(pointsWords('-(fact.days)')).toBe('(-(fact.days)) points');
    expect(pointsWords('fact.n')).toBe('(fact.n) points');
  });
});
