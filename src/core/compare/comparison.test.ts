import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { type FieldValue, factKey, type ScoringFact } from '../facts/fact.js';
import type { CompiledRulebook } from '../rulebook/types.js';
import { scorePerson } from '../scoring/index.js';
import type { ScoreOutcome } from '../scoring/types.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { ComparisonTally, standingOf } from './comparison.js';

// A baseline and a candidate that differ in a rule's points, a tier boundary and a privilege's
// threshold, so people move both ways between tiers and in and out of the privilege.
const body = (payPoints: number, perkAt: number, minFacts: number): string => `program: t
name: Test
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
dimensions: [d1, d2]
minFacts: ${minFacts}
tiers:
  - { id: high, min: ${1000 + perkAt} }
  - { id: low, min: 0 }
events:
  pay.done: { category: payment, fields: { amount: number } }
  pay.late: { category: payment, fields: { amount: number } }
  court.listed: { category: legal, fields: { case: string } }
  court.removed: { category: legal, fields: { case: string } }
rules:
  - { id: pay, on: pay.done, points: ${payPoints}, dimension: d2, reason: { code: F10, text: Payments } }
  - { id: late, on: pay.late, points: -4, dimension: d2, reason: { code: F20, text: Late payments } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [case], reason: { code: L01, text: Listed } }
privileges:
  - { id: perk, context: payment, when: "score >= ${1000 + perkAt} && !('debtor' in flags)" }
restrictions:
  - { id: no-travel, context: legal, when: "'debtor' in flags", legalBasis: "court order" }
`;
const baseline = rulebook(body(2, 10, 1), '');
const candidate = rulebook(body(3, 16, 2), '');

const arbFact = fc
  .record({
    id: fc.integer({ min: 0, max: 10_000 }),
    kind: fc.constantFrom('pay.done', 'pay.done', 'pay.late', 'court.listed', 'court.removed'),
    day: fc.integer({ min: 0, max: 200 }),
  })
  .map(({ id, kind, day }): ScoringFact => {
    const data: Record<string, FieldValue> = kind.startsWith('court') ? { case: 'A' } : { amount: 10 };
    return { key: factKey('s', `f${id}`), id: `f${id}`, source: 's', type: kind, at: T0 + day * DAY, data };
  });
const arbPerson = fc.record({
  facts: fc.uniqueArray(arbFact, { selector: (f) => f.key, maxLength: 12 }),
  consent: fc.oneof(
    fc.constant<ConsentEvent[]>([]),
    fc.constant<ConsentEvent[]>([{ action: 'opt-out', at: T0 }]),
  ),
});
const asOf = T0 + 250 * DAY;

function tallyOf(
  people: readonly { facts: ScoringFact[]; consent: ConsentEvent[] }[],
  a: CompiledRulebook,
  b: CompiledRulebook,
  largest = 5,
): { tally: ComparisonTally; outcomes: [ScoreOutcome, ScoreOutcome][] } {
  const tally = new ComparisonTally(largest);
  const outcomes: [ScoreOutcome, ScoreOutcome][] = [];
  people.forEach((p, i) => {
    const pair: [ScoreOutcome, ScoreOutcome] = [
      scorePerson(a, p.facts, asOf, p.consent),
      scorePerson(b, p.facts, asOf, p.consent),
    ];
    outcomes.push(pair);
    tally.add(`P${String(i).padStart(7, '0')}`, ...pair);
  });
  return { tally, outcomes };
}

describe('ComparisonTally', () => {
  it('a rulebook compared with itself moves nobody', () => {
    fc.assert(
      fc.property(fc.array(arbPerson, { maxLength: 30 }), (people) => {
        const r = tallyOf(people, baseline, baseline).tally.result();
        expect(r.baseline).toEqual(r.candidate);
        for (const t of r.tiers) expect(t.to).toBe(t.from);
        if (r.scores) expect(r.scores.unchanged).toBe(r.scores.people);
        for (const c of [...r.privileges, ...r.restrictions, ...r.flags]) {
          expect(c.candidate).toBe(c.baseline);
          expect(c.gained + c.lost).toBe(0);
        }
        for (const x of r.reasons) expect(x.candidate).toBe(x.baseline);
        expect(r.largest).toEqual([]);
      }),
    );
  });

  it('every count adds up to the people compared, and agrees with the outcomes one by one', () => {
    fc.assert(
      fc.property(fc.array(arbPerson, { maxLength: 30 }), (people) => {
        const { tally, outcomes } = tallyOf(people, baseline, candidate);
        const r = tally.result();
        const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);
        expect(r.people).toBe(people.length);
        expect(sum(r.baseline)).toBe(people.length);
        expect(sum(r.candidate)).toBe(people.length);
        expect(r.tiers.reduce((n, t) => n + t.people, 0)).toBe(people.length);
        // Each cell, recounted from the outcomes themselves.
        for (const t of r.tiers)
          expect(outcomes.filter(([a, b]) => standingOf(a) === t.from && standingOf(b) === t.to).length).toBe(
            t.people,
          );
        const both = outcomes.filter(([a, b]) => a.status === 'scored' && b.status === 'scored');
        expect(r.scores?.people ?? 0).toBe(both.length);
        const perk = r.privileges.find((c) => c.name === 'perk');
        const has = (o: ScoreOutcome): boolean => o.status === 'scored' && o.privileges.perk === true;
        expect(perk?.baseline ?? 0).toBe(outcomes.filter(([a]) => has(a)).length);
        expect(perk?.gained ?? 0).toBe(outcomes.filter(([a, b]) => !has(a) && has(b)).length);
        expect(perk?.lost ?? 0).toBe(outcomes.filter(([a, b]) => has(a) && !has(b)).length);
      }),
    );
  });

  it('lists the largest moves first: scored-to-unscored moves, then tier changes, then score changes', () => {
    fc.assert(
      fc.property(fc.array(arbPerson, { maxLength: 40 }), fc.integer({ min: 0, max: 6 }), (people, n) => {
        const { tally, outcomes } = tallyOf(people, baseline, candidate, n);
        const list = tally.result().largest;
        const moved = outcomes.filter(
          ([a, b]) =>
            standingOf(a) !== standingOf(b) ||
            (a.status === 'scored' && b.status === 'scored' && a.score !== b.score),
        ).length;
        expect(list.length).toBe(Math.min(n, moved));
        // In or out of being scored, then a tier change, then the size of the score change.
        const w = (c: (typeof list)[number]): [number, number] =>
          c.change === null ? [2, 0] : [c.baseline === c.candidate ? 0 : 1, Math.abs(c.change)];
        for (let i = 1; i < list.length; i++) {
          const [ra, sa] = w(list[i - 1] as (typeof list)[number]);
          const [rb, sb] = w(list[i] as (typeof list)[number]);
          expect(ra > rb || (ra === rb && sa >= sb)).toBe(true);
        }
      }),
    );
  });

  it('lists a tier change the score does not show (a boundary moved), ahead of any score change', () => {
    // Only the tier boundary moves (1010 -> 1016): a person at 1012 changes tier with no change of score.
    const moved = rulebook(body(2, 16, 1), '');
    const morePoints = rulebook(body(3, 10, 1), '');
    const pay = (n: number): ScoringFact[] =>
      Array.from({ length: n }, (_, d) => ({
        key: factKey('s', `p${d}`),
        id: `p${d}`,
        source: 's',
        type: 'pay.done',
        at: T0 + (d + 1) * DAY,
        data: { amount: 10 },
      }));
    const none: ConsentEvent[] = [];
    const boundary = tallyOf([{ facts: pay(6), consent: none }], baseline, moved).tally.result();
    expect(boundary.tiers).toEqual([{ from: 'high', to: 'low', people: 1 }]);
    expect(boundary.largest).toEqual([
      {
        subject: 'P0000000',
        baseline: 'high',
        candidate: 'low',
        baselineScore: 1012,
        candidateScore: 1012,
        change: 0,
        // 1012 no longer reaches the perk either (it asks for the tier's score)
        gained: [],
        lost: [{ kind: 'privilege', name: 'perk' }],
      },
    ]);
    // A person whose tier flips outranks one whose score moves more within a tier.
    const t = new ComparisonTally(1);
    t.add(
      'P0000001',
      scorePerson(baseline, pay(40), asOf, none),
      scorePerson(morePoints, pay(40), asOf, none),
    );
    t.add('P0000002', scorePerson(baseline, pay(6), asOf, none), scorePerson(moved, pay(6), asOf, none));
    expect(t.result().largest.map((p) => p.subject)).toEqual(['P0000002']);
  });

  it('lists a person who gains or loses a privilege, restriction or flag at the same score and tier, naming it', () => {
    // Only the privilege's threshold moves (1010 -> 1020): at 1012 a person stays high and loses the perk.
    const perkLater = rulebook(body(2, 10, 1).replace('score >= 1010 &&', 'score >= 1020 &&'), '');
    const facts: ScoringFact[] = Array.from({ length: 6 }, (_, d) => ({
      key: factKey('s', `p${d}`),
      id: `p${d}`,
      source: 's',
      type: 'pay.done',
      at: T0 + (d + 1) * DAY,
      data: { amount: 10 },
    }));
    const r = tallyOf([{ facts, consent: [] }], baseline, perkLater).tally.result();
    expect(r.tiers).toEqual([{ from: 'high', to: 'high', people: 1 }]);
    expect(r.largest).toEqual([
      {
        subject: 'P0000000',
        baseline: 'high',
        candidate: 'high',
        baselineScore: 1012,
        candidateScore: 1012,
        change: 0,
        gained: [],
        lost: [{ kind: 'privilege', name: 'perk' }],
      },
    ]);
  });

  it('keeps every mover when asked for more people than there are, in the same order', () => {
    fc.assert(
      fc.property(fc.array(arbPerson, { maxLength: 40 }), (people) => {
        const all = tallyOf(people, baseline, candidate, Number.MAX_SAFE_INTEGER).tally.result().largest;
        const few = tallyOf(people, baseline, candidate, 3).tally.result().largest;
        expect(all.slice(0, 3)).toEqual(few);
      }),
    );
  });

  it('counts a person who opted out as not scored on both sides, whatever the rules', () => {
    const facts: ScoringFact[] = [1, 2, 3].map((d) => ({
      key: factKey('s', `p${d}`),
      id: `p${d}`,
      source: 's',
      type: 'pay.done',
      at: T0 + d * DAY,
      data: { amount: 10 },
    }));
    const optedOut: ConsentEvent[] = [{ action: 'opt-out', at: T0 }];
    const r = tallyOf([{ facts, consent: optedOut }], baseline, candidate).tally.result();
    expect(r.baseline['opted-out']).toBe(1);
    expect(r.candidate['opted-out']).toBe(1);
    expect(r.scores).toBeUndefined();
    expect(r.reasons).toEqual([]);
    expect(r.tiers).toEqual([{ from: 'not scored (opted-out)', to: 'not scored (opted-out)', people: 1 }]);
  });
});
