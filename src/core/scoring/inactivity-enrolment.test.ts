import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, fact, rulebook, T0 } from '../testing/builders.js';
import { explainPerson, scorePerson } from './index.js';

// When the inactivity clock starts (DESIGN.md: "else the person's enrolment time: their opt-in,
// or in an opt-out program their first fact in it"). In an opt-out program a person is enrolled
// from their first fact: an opt-in that ends no opt-out is no new enrolment and no activity, yet
// it restarted the clock, so a person dormant for months had the penalty lifted by saying "in"
// to a program they were in already. A person who opts back in after an opt-out does start
// afresh, clock included: nothing from before the opt-in counts, their last payment neither.

const body = `events:
  pay.done: { category: payment, fields: { amount: number } }
  court.judgment: { category: legal, fields: { amount: number } }
rules:
  - { id: pay, on: pay.done, points: 2, dimension: d2, reason: { code: F10, text: Payments } }
  - { id: j, on: court.judgment, points: -20, dimension: d1, reason: { code: C01, text: Judgments } }
inactivity:
  - { id: dormant, of: [pay.done], after: P30D, points: -5, every: P10D, limit: -40, dimension: d2, reason: { code: F90, text: Dormant } }
`;
const head = (enrollment: string) =>
  `program: t\nname: T\nenrollment: ${enrollment}\nscale: { min: 0, max: 2000, base: 1000 }\ntiers: [{ id: A, min: 1000 }, { id: B, min: 0 }]\ndimensions: [d1, d2]\n`;
const optOutProgram = rulebook(body, head('opt-out'));
const optInProgram = rulebook(body, head('opt-in'));

describe('the inactivity clock and consent', () => {
  it('an opt-in in an opt-out program, with no opt-out before it, does not restart the clock', () => {
    const j = fact('j', 'court.judgment', 0, { amount: 1 });
    const asOf = T0 + 60 * DAY;
    // From the judgment (day 0): idle 60 > 30 → −5 × (1 + floor(30 / 10)) = −20; 1000 − 20 − 20.
    expect(scorePerson(optOutProgram, [j], asOf, [])).toMatchObject({ score: 960 });
    const optedIn: ConsentEvent[] = [{ action: 'opt-in', at: T0 + 10 * DAY }];
    expect(scorePerson(optOutProgram, [j], asOf, optedIn)).toMatchObject({ status: 'scored', score: 960 });
    const why = explainPerson(optOutProgram, [j], asOf, optedIn);
    expect(why.enrolment).toBe('opted-in');
    expect(why.outcome).toMatchObject({ score: 960 });
  });

  it('law: in an opt-out program, opt-ins alone change no outcome at any as-of', () => {
    const arbFacts = fc.uniqueArray(
      fc
        .record({
          id: fc.integer({ min: 0, max: 50 }),
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
      { selector: (f) => f.key, maxLength: 10 },
    );
    fc.assert(
      fc.property(
        arbFacts,
        fc.array(fc.integer({ min: 0, max: 250 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 300 }),
        (facts, optInDays, day) => {
          const asOf = T0 + day * DAY;
          const optIns = optInDays.map((d): ConsentEvent => ({ action: 'opt-in', at: T0 + d * DAY }));
          expect(scorePerson(optOutProgram, facts, asOf, optIns)).toEqual(
            scorePerson(optOutProgram, facts, asOf, []),
          );
          expect(explainPerson(optOutProgram, facts, asOf, optIns).outcome).toEqual(
            explainPerson(optOutProgram, facts, asOf, []).outcome,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('opting back in after an opt-out starts the clock at the opt-in, not at the last payment before it', () => {
    const facts = [fact('p', 'pay.done', 0, { amount: 1 }), fact('j', 'court.judgment', 60, { amount: 1 })];
    const history: ConsentEvent[] = [
      { action: 'opt-out', at: T0 + 10 * DAY },
      { action: 'opt-in', at: T0 + 50 * DAY },
    ];
    // From the opt-in (day 50) to day 100: idle 50 → −5 × (1 + floor(20 / 10)) = −15; the payment
    // of day 0 is outside the program for good (from it: −40), and the clock does not wait for the
    // first fact after the re-join either (from day 60: −10).
    expect(scorePerson(optOutProgram, facts, T0 + 100 * DAY, history)).toMatchObject({
      status: 'scored',
      score: 1000 - 20 - 15,
    });
  });

  it('in an opt-in program the clock starts at the opt-in', () => {
    const j = fact('j', 'court.judgment', 20, { amount: 1 });
    const joined: ConsentEvent[] = [{ action: 'opt-in', at: T0 + 10 * DAY }];
    // From day 10 to day 60: idle 50 → −15.
    expect(scorePerson(optInProgram, [j], T0 + 60 * DAY, joined)).toMatchObject({ score: 1000 - 20 - 15 });
  });
});
