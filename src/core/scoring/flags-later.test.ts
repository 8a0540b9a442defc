// DESIGN.md: "A person flagged by a registry keeps the flag from the listing fact until the
// removal fact." Listings and removals arrive in any order, late ones land before earlier-applied
// ones, several share an instant (applied by source and id), and a retraction takes a listing or a
// removal back as if it had never been sent (a retracted removal lists the person again). The flag
// held at every as-of, and the restriction it drives, are checked against a direct reading: with
// `key`, a removal lifts only its own listing; without it, the latest listing or removal wins.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFacts, type FieldValue, factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { PersonState, scorePerson } from './index.js';

const rb = rulebook(`events:
  court.listed: { category: legal, fields: { court: string, case: string } }
  court.removed: { category: legal, fields: { court: string, case: string } }
  reg.listed: { category: legal, fields: { file: string } }
  reg.removed: { category: legal, fields: { file: string } }
  pay.done: { category: payment, fields: { amount: number } }
rules:
  - { id: pay, on: pay.done, points: 1, reason: { code: F10, text: Payments } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [court, case], reason: { code: L01, text: Listed } }
  - { id: registered, set: reg.listed, clear: reg.removed, reason: { code: L02, text: Registered } }
restrictions:
  - { id: no-travel, context: legal, when: "'debtor' in flags", legalBasis: "court order" }
  - { id: no-loan, context: legal, when: "'registered' in flags", legalBasis: "register rules" }
`);

const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 30 }),
      source: fc.constantFrom('court', 'registry', 'bank'),
      type: fc.constantFrom('court.listed', 'court.removed', 'reg.listed', 'reg.removed', 'pay.done'),
      // Few instants, so listings and removals often share one.
      day: fc.integer({ min: 0, max: 12 }),
      court: fc.constantFrom('C1', 'C2'),
      case_: fc.constantFrom('A', 'B'),
    })
    .map(({ id, source, type, day, court, case_ }): ScoringFact => {
      const data: Record<string, FieldValue> =
        type === 'pay.done'
          ? { amount: 1 }
          : type.startsWith('court')
            ? { court, case: case_ }
            : { file: case_ };
      return { key: factKey(source, `f${id}`), id: `f${id}`, source, type, at: T0 + day * DAY, data };
    }),
  { selector: (f) => f.key, maxLength: 20 },
);

/** The flags held at `asOf`, read directly from DESIGN.md and docs/rulebook.md. */
function heldAt(facts: readonly ScoringFact[], asOf: number): string[] {
  const sorted = facts.filter((f) => f.at <= asOf).sort(compareFacts);
  const open = new Set<string>();
  let registered = false;
  for (const f of sorted) {
    const k = `${f.data.court}|${f.data.case}`;
    if (f.type === 'court.listed') open.add(k);
    if (f.type === 'court.removed') open.delete(k);
    if (f.type === 'reg.listed') registered = true;
    if (f.type === 'reg.removed') registered = false;
  }
  return [...(open.size > 0 ? ['debtor'] : []), ...(registered ? ['registered'] : [])];
}

describe('registry flags set and cleared by later facts', () => {
  it('any arrival order, with retractions between: the flag and its restriction follow the listings and removals', () => {
    fc.assert(
      fc.property(arbFacts, fc.array(fc.nat(), { maxLength: 5 }), fc.nat(), (facts, picks, seed) => {
        const arrival = fc.sample(fc.shuffledSubarray(facts, { minLength: facts.length }), {
          seed,
          numRuns: 1,
        })[0] as ScoringFact[];
        const gone = new Set(picks.filter(() => facts.length > 0).map((p) => facts[p % facts.length]!.key));
        const live = new PersonState(rb);
        for (const f of arrival) {
          live.insert(f);
          // Ask in between, so a view built on the way must not survive the next change.
          live.score(T0 + 14 * DAY, []);
        }
        for (const key of gone) live.retract(key);
        const left = facts.filter((f) => !gone.has(f.key));
        for (let d = -1; d <= 14; d++) {
          for (const asOf of [T0 + d * DAY - 1, T0 + d * DAY]) {
            const want = heldAt(left, asOf);
            const o = live.score(asOf, []);
            if (o.status !== 'scored') {
              // minFacts 1: nothing has happened yet.
              expect(left.some((f) => f.at <= asOf)).toBe(false);
              continue;
            }
            expect([...o.flags].sort()).toEqual(want);
            expect(o.restrictions).toEqual({
              'no-travel': want.includes('debtor'),
              'no-loan': want.includes('registered'),
            });
            expect(scorePerson(rb, left, asOf, [])).toEqual(o);
            expect(live.explain(asOf, []).outcome).toEqual(o);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
