import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { compileRulebook } from './compile.js';
import { StoredFactsCheck } from './stored-facts.js';

// Before a version is stored, its rules and keyed flags are tried on the facts already stored:
// a fact sent before a field was declared lacks it. A problem is reported exactly for each rule
// part or flag key that such a fact defeats, never for facts that carry every field.

const rb = compileRulebook(
  `program: up
name: Up
enrollment: opt-out
scale: { min: 0, max: 200, base: 100 }
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number, items: number } }
  court.listed: { category: legal, fields: { court: string, case: string } }
  court.removed: { category: legal, fields: { court: string, case: string } }
rules:
  - { id: any, on: shop.buy, points: 1, reason: { code: B1, text: b } }
  - { id: guarded, on: shop.buy, when: "has(fact.items) && fact.items > 2.0", points: 5, reason: { code: B2, text: b } }
  - { id: bare, on: shop.buy, points: "fact.items * 1.0", reason: { code: B3, text: b } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [court, case], reason: { code: L1, text: l } }
`,
  { file: 'up.yaml' },
);

const arbFact = fc
  .record({
    id: fc.integer({ min: 0, max: 50 }),
    type: fc.constantFrom('shop.buy', 'court.listed', 'court.removed'),
    drop: fc.subarray(['amount', 'items', 'court', 'case']),
  })
  .map(({ id, type, drop }): ScoringFact => {
    const full: Record<string, string | number> =
      type === 'shop.buy' ? { amount: 1, items: 3 } : { court: 'c', case: 'k' };
    for (const d of drop) delete full[d];
    return { key: factKey('s', `f${id}`), id: `f${id}`, source: 's', type, at: 0, data: full };
  });

describe('StoredFactsCheck', () => {
  it('reports exactly the parts that stored facts lacking fields defeat', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbFact, { selector: (f) => f.key, maxLength: 12 }), (facts) => {
        const check = new StoredFactsCheck(rb);
        for (const f of facts) check.add(f);
        const want = new Set<string>();
        for (const f of facts) {
          if (f.type === 'shop.buy' && f.data.items === undefined) want.add('rules[2].points');
          if (f.type !== 'shop.buy') {
            if (f.data.court === undefined) want.add('flags[0].key[0]');
            if (f.data.case === undefined) want.add('flags[0].key[1]');
          }
        }
        expect(new Set(check.problems().map((p) => p.path))).toEqual(want);
      }),
    );
  });
});
