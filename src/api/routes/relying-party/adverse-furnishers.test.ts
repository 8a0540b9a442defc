import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../../../core/facts/fact.js';
import { explainPerson } from '../../../core/scoring/index.js';
import { DAY, rulebook, T0 } from '../../../core/testing/builders.js';
import { adverseActionNotice } from './adverse-action.js';

// The notice of a denial names "the furnishers whose facts make up the key factors" (docs/api.md).
// A furnisher whose fact gives nothing at as-of (expired, or capped to 0), or whose fact pulls the
// other way under the same reason code, did not make up a deduction: naming it sends the person to
// dispute with the wrong furnisher.

const rb = rulebook(`events:
  court.judgment: { category: legal, fields: { amount: number } }
  court.paid: { category: legal, fields: { amount: number } }
rules:
  - { id: judgment, on: court.judgment, points: -40, cap: { max: 60, per: P30D }, decay: { expires: P30D }, dimension: d1, reason: { code: C01, text: Unpaid judgments } }
  - { id: paid, on: court.paid, points: 15, dimension: d1, reason: { code: C01, text: Unpaid judgments } }
privileges:
  - { id: perk, context: legal, when: "score >= 1000" }
`);
const policy = rb.privileges[0]!;

const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 30 }),
      source: fc.constantFrom('court-a', 'court-b', 'court-c', 'bank'),
      paid: fc.boolean(),
      day: fc.integer({ min: 0, max: 120 }),
    })
    .map(
      ({ id, source, paid, day }): ScoringFact => ({
        key: factKey(source, `f${id}`),
        id: `f${id}`,
        source,
        type: paid ? 'court.paid' : 'court.judgment',
        at: T0 + day * DAY,
        data: { amount: 1 },
      }),
    ),
  { selector: (f) => f.key, minLength: 1, maxLength: 10 },
);

describe('the furnishers an adverse-action notice names', () => {
  it('are those whose facts lower the key factors at as-of', () => {
    fc.assert(
      fc.property(arbFacts, fc.integer({ min: 0, max: 130 }), (facts, day) => {
        const asOf = T0 + day * DAY;
        const ex = explainPerson(rb, facts, asOf, []);
        const o = ex.outcome;
        if (o.status !== 'scored' || o.privileges.perk) return;
        const n = adverseActionNotice(rb, o, ex, policy, [], facts);
        const lowering = new Set(
          ex.contributions
            .filter((c) => c.points < 0 && o.keyFactors.some((k) => k.code === c.reason.code))
            .map((c) => c.source),
        );
        expect(n.source.furnishers).toEqual([...lowering].sort());
      }),
    );
  });

  it('leave out an expired judgment and a payment under the same code', () => {
    const f = (source: string, id: string, type: string, day: number): ScoringFact => ({
      key: factKey(source, id),
      id,
      source,
      type,
      at: T0 + day * DAY,
      data: { amount: 1 },
    });
    const facts = [
      f('court-a', 'old', 'court.judgment', 0),
      f('court-b', 'new', 'court.judgment', 50),
      f('bank', 'p', 'court.paid', 51),
    ];
    const ex = explainPerson(rb, facts, T0 + 60 * DAY, []);
    if (ex.outcome.status !== 'scored') throw new Error('expected a score');
    const n = adverseActionNotice(rb, ex.outcome, ex, policy, [], facts);
    expect(n.keyFactors.map((k) => k.code)).toEqual(['C01']);
    expect(n.source.furnishers).toEqual(['court-b']);
  });
});
