import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyInput } from '../rulebook/types.js';
import { rulebook } from '../testing/builders.js';
import { explainPolicy } from './policy-explain.js';

// Each privilege and restriction is "explained condition by condition ('needs score >= 650, has
// 612 ✗')" (docs/rulebook.md). A condition the explainer cannot put in words is quoted — and must
// still say whether it held: a person refused a benefit must see which condition failed. For a
// policy that is a plain conjunction, it holds exactly when every condition is marked ✓.

const CONDITIONS = [
  'score >= 1010',
  'score < 990',
  "tier == 'A'",
  "tier in ['A', 'B']",
  "'debtor' in flags",
  "!('debtor' in flags)",
  'size(flags) == 0',
  'dimensions.d1 >= 5.0',
  "dimensions['d2'] < 0.0",
  'flags.exists(f, f.startsWith("deb"))',
  'score % 2 == 0',
  'int(dimensions.d1) > 1',
] as const;

const arbInput: fc.Arbitrary<PolicyInput> = fc.record({
  score: fc.integer({ min: 950, max: 1050 }),
  tier: fc.constantFrom('A', 'B', 'C'),
  dimensions: fc.record({
    d1: fc.integer({ min: -1000, max: 1000 }).map((n) => n / 100),
    d2: fc.integer({ min: -1000, max: 1000 }).map((n) => n / 100),
  }),
  flags: fc.subarray(['debtor']),
});

const policy = (when: string) =>
  rulebook(`events:
  court.listed: { category: legal, fields: { case: string } }
flags:
  - { id: debtor, set: court.listed, reason: { code: L, text: l } }
privileges:
  - { id: p, context: legal, when: ${JSON.stringify(when)} }
`).privileges[0]!;

describe('explainPolicy', () => {
  it('says alternatives as alternatives: it holds exactly when one of them is ✓', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...CONDITIONS), { minLength: 2, maxLength: 3 }),
        fc.boolean(),
        arbInput,
        (conds, negatedAnd, input) => {
          // A || B || C, or its equivalent under a negation: !(!A && !B && !C).
          const when = negatedAnd ? `!(${conds.map((c) => `!(${c})`).join(' && ')})` : conds.join(' || ');
          const p = policy(when);
          const because = explainPolicy(p, input);
          expect(because).toHaveLength(conds.length);
          for (const b of because.slice(1)) expect(b).toMatch(/^or /);
          expect(because[0]).not.toMatch(/^or /);
          expect(because.some((b) => b.endsWith('✓'))).toBe(p.when(input));
        },
      ),
    );
  });

  it('marks every condition of a conjunction, and it holds exactly when all are ✓', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...CONDITIONS), { minLength: 1, maxLength: 4 }),
        arbInput,
        (conds, input) => {
          const rb = rulebook(`events:
  court.listed: { category: legal, fields: { case: string } }
flags:
  - { id: debtor, set: court.listed, reason: { code: L, text: l } }
privileges:
  - { id: p, context: legal, when: ${JSON.stringify(conds.join(' && '))} }
`);
          const p = rb.privileges[0]!;
          const because = explainPolicy(p, input);
          expect(because).toHaveLength(conds.length);
          for (const b of because) expect(b).toMatch(/[✓✗]$/);
          expect(because.every((b) => b.endsWith('✓'))).toBe(p.when(input));
        },
      ),
    );
  });
});
