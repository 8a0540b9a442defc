// DESIGN.md: the score is a pure function of facts, rulebook and as-of; arrival order never changes it.
// Beside properties.test.ts, which shuffles, batches and retracts separately: here one arrival
// order does all three at once, with many facts on one instant (ties broken by source and id),
// retention (facts past it scored as deleted), flags listed and lifted at one instant, and caps of
// both signs — what a furnisher feed resent in another order, with corrections, looks like.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FieldValue, factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { buildLedger, type LedgerDelta, PersonState, scorePerson } from './index.js';

const rb = rulebook(`events:
  pay.done: { category: payment, fields: { amount: number }, retain: P200D }
  court.listed: { category: legal, fields: { case: string }, retain: P300D }
  court.removed: { category: legal, fields: { case: string }, retain: P300D }
rules:
  - { id: pay, on: pay.done, points: "fact.amount >= 100.0 ? 4 : -3", cap: { max: 7, per: P30D }, dimension: d2, reason: { code: F10, text: Payments } }
  - { id: big, on: pay.done, when: "fact.amount > 500.0", points: 3, dimension: d2, decay: { halfLife: P90D }, cap: { max: 5, per: P10D }, reason: { code: F11, text: Large payments } }
  - { id: lst, on: court.listed, points: -7, decay: { expires: P100D }, reason: { code: C01, text: L } }
inactivity:
  - { id: dormant, of: [pay.done], after: P20D, points: -5, every: P10D, limit: -30, dimension: d2, reason: { code: F90, text: Dormant } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, reason: { code: L01, text: Listed } }
`);
const arbFact = fc
  .record({
    id: fc.integer({ min: 0, max: 30 }),
    source: fc.constantFrom('a', 'b'),
    kind: fc.constantFrom('pay.done', 'pay.done', 'court.listed', 'court.removed'),
    day: fc.integer({ min: 0, max: 60 }),
    ms: fc.constantFrom(0, 1),
    amount: fc.constantFrom(10, 200, 600),
    case_: fc.constantFrom('A', 'B'),
  })
  .map(({ id, source, kind, day, ms, amount, case_ }): ScoringFact => {
    const data: Record<string, FieldValue> = kind.startsWith('court') ? { case: case_ } : { amount };
    return {
      key: factKey(source, `f${id}`),
      id: `f${id}`,
      source,
      type: kind,
      at: T0 + day * DAY + ms,
      data,
    };
  });
describe('arrival order, batches and retractions, with ties, retention and mixed-sign caps', () => {
  it('any arrival order, cut into batches, with retractions, scores as the survivors do at every as-of', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(arbFact, { selector: (f) => f.key, maxLength: 25 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.nat(),
        fc.array(fc.nat({ max: 5 }), { maxLength: 10 }),
        (facts, rets, seed, cuts) => {
          const retractKeys = new Set(
            rets.filter(() => facts.length > 0).map((r) => facts[r % facts.length]!.key),
          );
          const shuffled = fc.sample(fc.shuffledSubarray(facts, { minLength: facts.length }), {
            seed,
            numRuns: 1,
          })[0]!;
          const s = new PersonState(rb);
          // The ledger a store keeps by applying each delta (as ingest persists them).
          const stored = new Map<string, number>();
          const apply = (d: LedgerDelta) => {
            for (const e of d.removed) stored.delete(`${e.factKey}|${e.ruleId}`);
            for (const e of [...d.added, ...d.changed]) stored.set(`${e.factKey}|${e.ruleId}`, e.raw);
          };
          let i = 0;
          for (const n of cuts) {
            const g = shuffled.slice(i, i + n + 1);
            i += n + 1;
            apply(s.insertMany(g.map((fact) => ({ fact }))));
            for (const f of g) if (retractKeys.has(f.key)) apply(s.retract(f.key));
          }
          for (const f of shuffled.slice(i)) {
            apply(s.insert(f));
            if (retractKeys.has(f.key)) apply(s.retract(f.key));
          }
          const kept = facts.filter((f) => !retractKeys.has(f.key));
          const s2 = new PersonState(rb, kept);
          expect(stored).toEqual(
            new Map(buildLedger(rb, kept).map((e) => [`${e.factKey}|${e.ruleId}`, e.raw])),
          );
          for (let d = 0; d < 400; d += 7) {
            const asOf = T0 + d * DAY;
            const want = scorePerson(rb, kept, asOf, []);
            expect(s.score(asOf, [])).toEqual(want);
            expect(s2.score(asOf, [])).toEqual(want);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
