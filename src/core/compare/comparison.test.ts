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

  it('lists the largest moves first, scored-to-unscored moves ahead of any score change', () => {
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
        const w = (c: (typeof list)[number]): number =>
          c.change === null ? Number.POSITIVE_INFINITY : Math.abs(c.change);
        for (let i = 1; i < list.length; i++)
          expect(w(list[i - 1] as (typeof list)[number])).toBeGreaterThanOrEqual(
            w(list[i] as (typeof list)[number]),
          );
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
