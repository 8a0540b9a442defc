import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { explainPerson, scorePerson } from './index.js';

// A score as of a past instant must not see what happened after it. An opt-in recorded later
// (a person re-affirming, or joining an opt-out program explicitly) is such a later fact: before
// it the person was simply enrolled, and inactivity counts from their first fact as before.
// (An opt-out is the one exception, on purpose: it is honoured for every as-of, past ones too.)

const body = `events:
  pay.done: { category: payment, fields: { amount: number } }
  court.judgment: { category: legal, fields: { amount: number } }
rules:
  - { id: pay, on: pay.done, points: 2, dimension: d2, reason: { code: F10, text: Payments } }
  - { id: j, on: court.judgment, points: -20, dimension: d1, reason: { code: C01, text: Judgments } }
inactivity:
  - { id: dormant, of: [pay.done], after: P30D, points: -5, every: P10D, limit: -40, dimension: d2, reason: { code: F90, text: Dormant } }
`;
const optOutProgram = rulebook(body);
const optInProgram = rulebook(
  body,
  'program: t\nname: T\nenrollment: opt-in\nscale: { min: 0, max: 2000, base: 1000 }\ntiers: [{ id: A, min: 1000 }, { id: B, min: 0 }]\ndimensions: [d1, d2]\n',
);

const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 100 }),
      type: fc.constantFrom('pay.done', 'court.judgment'),
      day: fc.integer({ min: 0, max: 200 }),
    })
    .map(
      ({ id, type, day }): ScoringFact => ({
        key: factKey('s', `f${id}`),
        id: `f${id}`,
        source: 's',
        type,
        at: T0 + day * DAY,
        data: { amount: 1 },
      }),
    ),
  { selector: (f) => f.key, maxLength: 12 },
);
const arbHistory = fc.array(
  fc.record({
    action: fc.constantFrom('opt-in' as const, 'opt-out' as const),
    at: fc.integer({ min: 0, max: 200 }).map((d) => T0 + d * DAY),
  }),
  { maxLength: 3 },
);

describe('consent as of a past instant', () => {
  it('an opt-in recorded after as-of changes nothing at as-of', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(optOutProgram, optInProgram),
        arbFacts,
        arbHistory,
        fc.integer({ min: 0, max: 250 }),
        fc.integer({ min: 1, max: 60 }),
        (rb, facts, history, day, later) => {
          const asOf = T0 + day * DAY;
          const known = history.filter((e) => e.at <= asOf);
          const withLater: ConsentEvent[] = [...known, { action: 'opt-in', at: asOf + later * DAY }];
          expect(scorePerson(rb, facts, asOf, withLater)).toEqual(scorePerson(rb, facts, asOf, known));
          const a = explainPerson(rb, facts, asOf, withLater);
          const b = explainPerson(rb, facts, asOf, known);
          expect(a.outcome).toEqual(b.outcome);
          expect(a.enrolment).toBe(b.enrolment);
        },
      ),
    );
  });

  it('in an opt-out program, inactivity before a later opt-in counts from the first fact', () => {
    const j: ScoringFact = {
      key: 's/j',
      id: 'j',
      source: 's',
      type: 'court.judgment',
      at: T0,
      data: { amount: 1 },
    };
    // Day 60: idle 60 days > 30 → −5 × (1 + floor(30 / 10)) = −20; with the judgment: 1000 − 40.
    const asOf = T0 + 60 * DAY;
    const before = scorePerson(optOutProgram, [j], asOf, []);
    expect(before).toMatchObject({ status: 'scored', score: 960 });
    expect(scorePerson(optOutProgram, [j], asOf, [{ action: 'opt-in', at: T0 + 90 * DAY }])).toEqual(before);
    expect(explainPerson(optOutProgram, [j], asOf, [{ action: 'opt-in', at: T0 + 90 * DAY }]).enrolment).toBe(
      'enrolled',
    );
  });
});
