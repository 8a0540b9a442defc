import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { factKey, type ScoringFact } from '../facts/fact.js';
import type { CompiledRulebook } from '../rulebook/types.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { explainPerson, PersonState, scorePerson } from './index.js';

// The hard line (policy.md §3): no score accumulates in the dark. A fact that occurred while the
// person was out of a program (opted out, or not yet opted in to an opt-in program) never counts
// toward any score of theirs in it, not even after they (re-)join: consent is not retroactive.

const body = `events:
  pay.done: { category: payment, fields: { amount: number } }
  court.listed: { category: legal, fields: { case: string } }
  court.removed: { category: legal, fields: { case: string } }
rules:
  - { id: pay, on: pay.done, points: "fact.amount >= 50.0 ? 4 : 1", cap: { max: 6, per: P30D }, dimension: d2, reason: { code: F10, text: Payments } }
inactivity:
  - { id: dormant, of: [pay.done], after: P30D, points: -5, every: P10D, limit: -40, dimension: d2, reason: { code: F90, text: Dormant } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [case], reason: { code: L01, text: Listed } }
`;
const head = (enrollment: string) =>
  `program: t\nname: T\nenrollment: ${enrollment}\nscale: { min: 0, max: 2000, base: 1000 }\ntiers: [{ id: A, min: 1000 }, { id: B, min: 0 }]\ndimensions: [d1, d2]\nminFacts: 1\n`;
const optOutProgram = rulebook(body, head('opt-out'));
const optInProgram = rulebook(body, head('opt-in'));

// Facts and consent changes on a coarse grid (whole days, sometimes a few ms after), so that a
// fact often falls on the very instant of a consent change.
const instant = fc
  .record({ day: fc.integer({ min: 0, max: 120 }), ms: fc.constantFrom(0, 0, 0, 1, 5) })
  .map(({ day, ms }) => T0 + day * DAY + ms);
const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 200 }),
      type: fc.constantFrom('pay.done', 'pay.done', 'court.listed', 'court.removed'),
      at: instant,
      amount: fc.integer({ min: 0, max: 100 }),
      case_: fc.constantFrom('A', 'B'),
    })
    .map(
      ({ id, type, at, amount, case_ }): ScoringFact => ({
        key: factKey('s', `f${id}`),
        id: `f${id}`,
        source: 's',
        type,
        at,
        data: type === 'pay.done' ? { amount } : { case: case_ },
      }),
    ),
  { selector: (f) => f.key, maxLength: 16 },
);
const arbHistory: fc.Arbitrary<ConsentEvent[]> = fc.array(
  fc.record({ action: fc.constantFrom('opt-in' as const, 'opt-out' as const), at: instant }),
  { maxLength: 4 },
);
const arbAsOf = fc.integer({ min: 0, max: 160 }).map((d) => T0 + d * DAY);

/**
 * Whether the person was out of the program at instant `t`, read from the history as plainly as
 * possible: the last consent change at or before `t` decides (an opt-out and an opt-in at one
 * instant count as an opt-out); with none, an opt-out program has them in, an opt-in one out.
 */
function outAt(rb: CompiledRulebook, history: readonly ConsentEvent[], t: number): boolean {
  const upTo = history.filter((e) => e.at <= t);
  if (upTo.length === 0) return rb.enrollment === 'opt-in';
  const latest = Math.max(...upTo.map((e) => e.at));
  return upTo.some((e) => e.at === latest && e.action === 'opt-out');
}

/** The facts with their data made unreadable: reading them means a rule was evaluated. */
function untouchable(facts: readonly ScoringFact[]): ScoringFact[] {
  return facts.map((f) => ({
    ...f,
    get data(): never {
      throw new Error(`evaluated a rule on ${f.key}, which occurred while the person was out`);
    },
  }));
}

describe('no score accumulates in the dark', () => {
  it('a fact that occurred while the person was out never changes any score, even after they (re-)join', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(optOutProgram, optInProgram),
        arbFacts,
        arbHistory,
        arbAsOf,
        (rb, facts, history, asOf) => {
          const lit = facts.filter((f) => !outAt(rb, history, f.at));
          const dark = facts.filter((f) => outAt(rb, history, f.at));
          const expected = scorePerson(rb, lit, asOf, history);
          expect(scorePerson(rb, facts, asOf, history)).toEqual(expected);
          // Not a rule is evaluated on them, in the score or in its explanation.
          const guarded = [...lit, ...untouchable(dark)];
          expect(scorePerson(rb, guarded, asOf, history)).toEqual(expected);
          expect(explainPerson(rb, guarded, asOf, history)).toEqual(explainPerson(rb, lit, asOf, history));
          // The incremental state a store keeps answers the same.
          expect(new PersonState(rb, facts).score(asOf, history)).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('after a re-join, facts up to the opt-out stay outside the program (docs/rulebook.md, Consent)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(optOutProgram, optInProgram),
        arbFacts,
        arbHistory.filter((h) => h.some((e) => e.action === 'opt-out')),
        arbAsOf,
        (rb, facts, history, asOf) => {
          const lastOptOut = Math.max(...history.filter((e) => e.action === 'opt-out').map((e) => e.at));
          const after = facts.filter((f) => f.at > lastOptOut);
          expect(scorePerson(rb, facts, asOf, history)).toEqual(scorePerson(rb, after, asOf, history));
        },
      ),
    );
  });

  const pay = (id: string, day: number): ScoringFact => ({
    key: factKey('s', id),
    id,
    source: 's',
    type: 'pay.done',
    at: T0 + day * DAY,
    data: { amount: 60 },
  });

  it('re-joining: only facts after the new opt-in count (the QA report: out on day 10, back on day 40)', () => {
    const history: ConsentEvent[] = [
      { action: 'opt-out', at: T0 + 10 * DAY },
      { action: 'opt-in', at: T0 + 40 * DAY },
    ];
    const before = pay('a', 5);
    const dark = pay('b', 20);
    const after = pay('c', 50);
    const asOf = T0 + 55 * DAY;
    const o = scorePerson(optOutProgram, [before, dark, after], asOf, history);
    expect(o).toEqual(scorePerson(optOutProgram, [after], asOf, history));
    expect(o).toMatchObject({ status: 'scored', factsCounted: 1 });
    // Only the dark fact: nothing counts, so there is no number at all.
    expect(scorePerson(optOutProgram, [dark], asOf, history)).toMatchObject({
      status: 'not-scored',
      reason: 'insufficient-data',
    });
  });

  it('an opt-in program: facts before the first opt-in, or at its very instant, do not count', () => {
    const joined: ConsentEvent[] = [{ action: 'opt-in', at: T0 + 30 * DAY }];
    const asOf = T0 + 35 * DAY;
    expect(scorePerson(optInProgram, [pay('a', 10), pay('b', 30)], asOf, joined)).toMatchObject({
      status: 'not-scored',
      reason: 'insufficient-data',
    });
    const o = scorePerson(optInProgram, [pay('a', 10), pay('b', 30), pay('c', 31)], asOf, joined);
    expect(o).toMatchObject({ status: 'scored', factsCounted: 1 });
    // Inactivity counts from the opt-in, not from a fact before it.
    expect(scorePerson(optInProgram, [pay('a', 10)], T0 + 75 * DAY, joined)).toMatchObject({
      status: 'not-scored',
    });
  });
});
