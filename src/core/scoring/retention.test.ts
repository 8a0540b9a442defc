import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { explainPerson, PersonState, scorePerson } from './index.js';

// DESIGN.md: "A fact older than its type's retain period is deleted, not just ignored." Deleting
// is `credence purge`, run when an operator runs it; until then the fact is still stored, but a
// score as of an instant past its retention must not use it: it is scored as if purge had run at
// as-of (caps, inactivity, flags and minFacts included), never with data past its deletion date.

const rb = rulebook(`minFacts: 2
events:
  pay.done: { category: payment, fields: { amount: number }, retain: P60D }
  court.judgment: { category: legal, fields: { amount: number }, retain: P90D }
  reg.listed: { category: legal, fields: { file: string }, retain: P45D }
  reg.removed: { category: legal, fields: { file: string } }
  id.checked: { category: identity, fields: { amount: number } }
rules:
  - { id: pay, on: pay.done, points: 4, cap: { max: 10, per: P100D }, dimension: d2, reason: { code: F10, text: Payments } }
  - { id: j, on: court.judgment, points: -30, dimension: d1, reason: { code: C01, text: Judgments } }
  - { id: id, on: id.checked, points: 1, reason: { code: I10, text: Identity } }
inactivity:
  - { id: dormant, of: [pay.done], after: P30D, points: -3, every: P15D, limit: -30, dimension: d2, reason: { code: F90, text: Dormant } }
flags:
  - { id: debtor, set: reg.listed, clear: reg.removed, key: [file], reason: { code: L01, text: Listed } }
`);
const TYPES = ['pay.done', 'court.judgment', 'reg.listed', 'reg.removed', 'id.checked'] as const;

const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 60 }),
      type: fc.constantFrom(...TYPES),
      day: fc.integer({ min: 0, max: 300 }),
      file: fc.constantFrom('A', 'B'),
    })
    .map(
      ({ id, type, day, file }): ScoringFact => ({
        key: factKey('s', `f${id}`),
        id: `f${id}`,
        source: 's',
        type,
        at: T0 + day * DAY,
        data: type.startsWith('reg') ? { file } : { amount: 1 },
      }),
    ),
  { selector: (f) => f.key, maxLength: 20 },
);
const arbConsent = fc.array(
  fc.record({
    action: fc.constantFrom('opt-in' as const, 'opt-out' as const),
    at: fc.integer({ min: 0, max: 300 }).map((d) => T0 + d * DAY + 1),
  }),
  { maxLength: 2 },
);

/** What `credence purge --as-of asOf` leaves: facts whose age at as-of is within retention. */
const purgedAt = (facts: readonly ScoringFact[], asOf: number) =>
  facts.filter((f) => {
    const ms = rb.events[f.type]?.retainMs;
    return ms === undefined || f.at >= asOf - ms;
  });

describe('retention at as-of', () => {
  it('a score as of an instant is what it would be had purge run then', () => {
    fc.assert(
      fc.property(
        arbFacts,
        fc.integer({ min: 0, max: 400 }),
        arbConsent,
        (facts, day, consent: ConsentEvent[]) => {
          const asOf = T0 + day * DAY;
          const purged = purgedAt(facts, asOf);
          const want = scorePerson(rb, purged, asOf, consent);
          expect(scorePerson(rb, facts, asOf, consent)).toEqual(want);
          const state = new PersonState(rb);
          for (const f of facts) state.insert(f);
          expect(state.score(asOf, consent)).toEqual(want);
          const x = explainPerson(rb, facts, asOf, consent);
          const y = explainPerson(rb, purged, asOf, consent);
          expect(x.outcome).toEqual(want);
          expect(x.contributions).toEqual(y.contributions);
          expect(x.flags).toEqual(y.flags);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('one state answers as-ofs on both sides of a deletion date, in any order', () => {
    fc.assert(
      fc.property(
        arbFacts,
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 2, maxLength: 6 }),
        (facts, days) => {
          const state = new PersonState(rb, facts);
          for (const d of days) {
            const asOf = T0 + d * DAY;
            expect(state.score(asOf, [])).toEqual(scorePerson(rb, purgedAt(facts, asOf), asOf, []));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a registry listing kept 45 days holds its flag until then, not after', () => {
    const listed: ScoringFact = {
      key: 's/l',
      id: 'l',
      source: 's',
      type: 'reg.listed',
      at: T0,
      data: { file: 'A' },
    };
    const other: ScoringFact = {
      key: 's/i',
      id: 'i',
      source: 's',
      type: 'id.checked',
      at: T0,
      data: { amount: 1 },
    };
    const other2: ScoringFact = { ...other, key: 's/i2', id: 'i2' };
    const at45 = scorePerson(rb, [listed, other, other2], T0 + 45 * DAY, []);
    expect(at45).toMatchObject({ status: 'scored', flags: ['debtor'] });
    const at46 = scorePerson(rb, [listed, other, other2], T0 + 46 * DAY, []);
    expect(at46).toMatchObject({ status: 'scored', flags: [] });
  });
});
