import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { type FieldValue, factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { buildLedger, PersonState, scorePerson } from './index.js';

// Property tests of the scoring semantics: the score is a pure function of
// (facts, rulebook, asOf, consent), whatever order or repetition facts arrive in.

const rb = rulebook(`events:
  pay.done: { category: payment, fields: { amount: number } }
  court.judgment: { category: legal, fields: { amount: number } }
  court.listed: { category: legal, fields: { case: string } }
  court.removed: { category: legal, fields: { case: string } }
rules:
  - { id: pay, on: pay.done, points: "fact.amount >= 100.0 ? 4 : 1", cap: { max: 10, per: P30D }, dimension: d2, reason: { code: F10, text: Payments } }
  - { id: big, on: pay.done, when: "fact.amount > 500.0", points: 3, dimension: d2, decay: { halfLife: P90D }, reason: { code: F11, text: Large payments } }
  - { id: judgment, on: court.judgment, points: "-(fact.amount / 10.0)", cap: { max: 100, per: P365D }, dimension: d1, decay: { expires: P1Y }, reason: { code: C01, text: Judgments } }
inactivity:
  - { id: dormant, of: [pay.done], after: P60D, points: -5, every: P30D, limit: -30, dimension: d2, reason: { code: F90, text: Dormant } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [case], reason: { code: L01, text: Listed } }
privileges:
  - { id: perk, context: payment, when: "score >= 1010 && !('debtor' in flags)" }
restrictions:
  - { id: no-travel, context: legal, when: "'debtor' in flags", legalBasis: "court order" }
`);

const arbFact = fc
  .record({
    id: fc.integer({ min: 0, max: 10_000 }),
    source: fc.constantFrom('shop', 'pay', 'court'),
    kind: fc.constantFrom('pay.done', 'pay.done', 'court.judgment', 'court.listed', 'court.removed'),
    day: fc.integer({ min: 0, max: 400 }),
    ms: fc.integer({ min: 0, max: DAY - 1 }),
    amount: fc.double({ min: 0, max: 2000, noNaN: true }),
    case_: fc.constantFrom('A', 'B'),
  })
  .map(({ id, source, kind, day, ms, amount, case_ }): ScoringFact => {
    const data: Record<string, FieldValue> =
      kind.startsWith('court.l') || kind.startsWith('court.r') ? { case: case_ } : { amount };
    return {
      key: factKey(source, `f${id}`),
      id: `f${id}`,
      source,
      type: kind,
      at: T0 + day * DAY + ms,
      data,
    };
  });

// Unique (source, id) as the store guarantees.
const arbFacts = fc.uniqueArray(arbFact, { selector: (f) => f.key, maxLength: 40 });
const arbAsOf = fc.integer({ min: 0, max: 500 }).map((d) => T0 + d * DAY);
const arbConsent = fc.array(
  fc.record({ action: fc.constantFrom('opt-in', 'opt-out'), at: arbAsOf }) as fc.Arbitrary<ConsentEvent>,
  { maxLength: 3 },
);

describe('scoring properties', () => {
  it('any arrival order gives the same score', () => {
    fc.assert(
      fc.property(arbFacts, arbAsOf, fc.nat(), (facts, asOf, seed) => {
        const shuffled = fc.sample(fc.shuffledSubarray(facts, { minLength: facts.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        expect(scorePerson(rb, shuffled, asOf, [])).toEqual(scorePerson(rb, facts, asOf, []));
      }),
    );
  });

  it('re-applying a fact changes nothing', () => {
    fc.assert(
      fc.property(arbFacts, arbAsOf, (facts, asOf) => {
        const state = new PersonState(rb, facts);
        const before = state.score(asOf, []);
        for (const f of facts) {
          const delta = state.insert(f);
          expect(delta.added).toEqual([]);
        }
        expect(state.score(asOf, [])).toEqual(before);
      }),
    );
  });

  it('incremental insertion (late facts included) equals full recomputation', () => {
    fc.assert(
      fc.property(arbFacts, arbAsOf, (facts, asOf) => {
        const state = new PersonState(rb);
        for (const f of facts) state.insert(f); // arrival order, not time order
        expect(state.ledger).toEqual(buildLedger(rb, facts));
        expect(state.score(asOf, [])).toEqual(scorePerson(rb, facts, asOf, []));
      }),
    );
  });

  it('the ledger deltas of incremental inserts add up to the full ledger', () => {
    fc.assert(
      fc.property(arbFacts, (facts) => {
        const state = new PersonState(rb);
        const kept = new Map<string, number>();
        for (const f of facts) {
          const d = state.insert(f);
          for (const e of [...d.added, ...d.changed]) kept.set(`${e.factKey}|${e.ruleId}`, e.raw);
        }
        const full = new Map(buildLedger(rb, facts).map((e) => [`${e.factKey}|${e.ruleId}`, e.raw]));
        expect(kept).toEqual(full);
      }),
    );
  });

  it('facts inserted in groups (insertMany, as a batch does) give what one by one gives, deltas included', () => {
    fc.assert(
      fc.property(arbFacts, fc.array(fc.nat({ max: 6 }), { maxLength: 20 }), arbAsOf, (facts, cuts, asOf) => {
        // The facts in arrival order, cut into groups of the given sizes (the rest one group).
        const groups: ScoringFact[][] = [];
        let at = 0;
        for (const n of cuts) {
          if (at >= facts.length) break;
          groups.push(facts.slice(at, at + n + 1));
          at += n + 1;
        }
        if (at < facts.length) groups.push(facts.slice(at));
        const state = new PersonState(rb);
        const kept = new Map<string, number>();
        for (const g of groups) {
          // A group that names one of its facts twice does not count it twice.
          const d = state.insertMany([...g, ...g.slice(0, 1)].map((fact) => ({ fact })));
          for (const e of [...d.added, ...d.changed]) kept.set(`${e.factKey}|${e.ruleId}`, e.raw);
        }
        const full = buildLedger(rb, facts);
        expect(state.ledger).toEqual(full);
        expect(kept).toEqual(new Map(full.map((e) => [`${e.factKey}|${e.ruleId}`, e.raw])));
        expect(state.score(asOf, [])).toEqual(scorePerson(rb, facts, asOf, []));
      }),
    );
  });

  it('a retraction gives exactly the score without that fact', () => {
    fc.assert(
      fc.property(
        arbFacts.filter((f) => f.length > 0),
        fc.nat(),
        arbAsOf,
        (facts, pick, asOf) => {
          const gone = facts[pick % facts.length]!;
          const state = new PersonState(rb, facts);
          state.retract(gone.key);
          const without = facts.filter((f) => f.key !== gone.key);
          expect(state.ledger).toEqual(buildLedger(rb, without));
          expect(state.score(asOf, [])).toEqual(scorePerson(rb, without, asOf, []));
        },
      ),
    );
  });

  it('score(asOf) never reads a fact after asOf', () => {
    fc.assert(
      fc.property(arbFacts, arbAsOf, (facts, asOf) => {
        const guarded = facts.map((f) =>
          f.at <= asOf
            ? f
            : {
                ...f,
                get data(): never {
                  throw new Error(`read future fact ${f.key}`);
                },
                get type(): never {
                  throw new Error(`read future fact ${f.key}`);
                },
              },
        );
        const past = facts.filter((f) => f.at <= asOf);
        expect(scorePerson(rb, guarded as ScoringFact[], asOf, [])).toEqual(scorePerson(rb, past, asOf, []));
      }),
    );
  });

  it('an opted-out person never gets a number, and no rule is evaluated for them', () => {
    fc.assert(
      fc.property(arbFacts, arbAsOf, arbConsent, (facts, asOf, consent) => {
        const history = [...consent, { action: 'opt-out' as const, at: T0 + 600 * DAY }];
        const untouchable = facts.map((f) => ({
          ...f,
          get data(): never {
            throw new Error(`evaluated a rule on ${f.key} of an opted-out person`);
          },
        }));
        const outcome = scorePerson(rb, untouchable as ScoringFact[], asOf, history);
        expect(outcome).toMatchObject({ status: 'not-scored', reason: 'opted-out' });
        expect(outcome).not.toHaveProperty('score');
        expect(outcome).not.toHaveProperty('tier');
      }),
    );
  });

  it('scores always lie on the scale and in a tier', () => {
    fc.assert(
      fc.property(arbFacts, arbAsOf, arbConsent, (facts, asOf, consent) => {
        const o = scorePerson(rb, facts, asOf, consent);
        if (o.status === 'scored') {
          expect(o.score).toBeGreaterThanOrEqual(rb.scale.min);
          expect(o.score).toBeLessThanOrEqual(rb.scale.max);
          expect(Number.isInteger(o.score)).toBe(true);
          expect(rb.tiers.map((t) => t.id)).toContain(o.tier);
        }
      }),
    );
  });
});
