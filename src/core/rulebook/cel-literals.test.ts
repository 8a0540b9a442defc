import { describe, expect, it } from 'vitest';
import { compileRulebook } from './compile.js';

// docs/rulebook.md: fact numbers are CEL doubles; an int literal is accepted in an ordering but
// not by ==, != or in (those are load errors, never scoring errors).

const book = (when: string) =>
  compileRulebook(
    `program: t
name: T
enrollment: opt-out
scale: { min: 0, max: 10, base: 5 }
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
  - { id: r, on: shop.buy, when: ${JSON.stringify(when)}, points: 1, reason: { code: X, text: x } }
`,
    { file: 't.yaml' },
  );

describe('int literals against fact numbers', () => {
  it.each(['fact.amount > 0', 'fact.amount <= 3', 'fact.amount == 1.0', 'fact.amount in [1.0, 2.0]'])(
    '%s loads and compares as numbers',
    (when) => {
      const w = book(when).rules[0]?.when;
      expect(typeof w?.({ amount: 1 })).toBe('boolean');
    },
  );
  it.each(['fact.amount == 1', 'fact.amount != 1', 'fact.amount in [1, 2]'])('%s is a load error', (when) => {
    let reason = '';
    try {
      book(when);
    } catch (e) {
      reason = (e as { details?: { reason: string }[] }).details?.[0]?.reason ?? '';
    }
    expect(reason).toMatch(/does not type-check/);
  });
});

describe('a whole number beside a fact number', () => {
  // An operator writes `fact.amount / 3` or `fact.amount == 1`; CEL's own "no such overload:
  // double / int" does not say what to write instead.
  it.each(['fact.amount / 3 > 1.0', 'fact.amount == 1', 'fact.amount + 1 > 2.0'])(
    '%s is refused with the fix in words',
    (when) => {
      let reason = '';
      try {
        book(when);
      } catch (e) {
        reason = (e as { details?: { reason: string }[] }).details?.[0]?.reason ?? '';
      }
      expect(reason).toMatch(/does not type-check: .*double.*int|int.*double/);
      expect(reason).toMatch(/CEL does not mix int and double: write 1\.0 beside a double \(fact numbers/);
    },
  );
});
