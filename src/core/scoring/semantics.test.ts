import { describe, expect, it } from 'vitest';
import { DAY, fact, rulebook, T0 } from '../testing/builders.js';
import { explainPerson, scorePerson } from './index.js';
import type { Scored, ScoreOutcome } from './types.js';

// Golden tests: each semantic of DESIGN.md "Scoring semantics", with values computed by hand
// in the comments. Scale 0–2000, base 1000; tiers A ≥ 1000, B ≥ 900, C below.

const at = (days: number) => T0 + days * DAY;
function scored(o: ScoreOutcome): Scored {
  if (o.status !== 'scored') throw new Error(`expected a score, got ${o.status} (${o.reason})`);
  return o;
}

const events = `events:
  pay.done: { category: payment, fields: { amount: number } }
  court.judgment: { category: legal, fields: { amount: number } }
  court.listed: { category: legal, fields: { court: string, case: string } }
  court.removed: { category: legal, fields: { court: string, case: string } }
`;

describe('facts count when occurredAt <= asOf', () => {
  const rb = rulebook(`${events}rules:
  - { id: j, on: court.judgment, points: -50, reason: { code: C01, text: Judgment } }
`);
  it('a fact counts from its own instant on, not before', () => {
    const f = fact('j1', 'court.judgment', 10, { amount: 1 });
    expect(scorePerson(rb, [f], at(10) - 1, [])).toMatchObject({
      status: 'not-scored',
      reason: 'insufficient-data',
    });
    expect(scored(scorePerson(rb, [f], at(10), [])).score).toBe(950); // 1000 − 50
  });
});

describe('decay', () => {
  it('expires: full points while asOf < occurredAt + expires, then 0', () => {
    const rb = rulebook(`${events}rules:
  - { id: j, on: court.judgment, points: -50, reason: { code: C01, text: J }, decay: { expires: P3Y } }
`);
    const f = fact('j1', 'court.judgment', 0, { amount: 1 });
    expect(scored(scorePerson(rb, [f], at(3 * 365) - 1, [])).score).toBe(950);
    expect(scored(scorePerson(rb, [f], at(3 * 365), [])).score).toBe(1000);
  });

  it('halfLife: points × 0.5^((asOf − occurredAt)/halfLife)', () => {
    const rb = rulebook(`${events}rules:
  - { id: j, on: court.judgment, points: -80, dimension: d1, reason: { code: C01, text: J }, decay: { halfLife: P180D } }
`);
    const f = fact('j1', 'court.judgment', 0, { amount: 1 });
    // −80 × 0.5^(360/180) = −20 → 980; −80 × 0.5^(90/180) = −56.5685… → round(943.43) = 943
    expect(scored(scorePerson(rb, [f], at(360), [])).score).toBe(980);
    const half = scored(scorePerson(rb, [f], at(90), []));
    expect(half.score).toBe(943);
    expect(half.dimensions.d1).toBe(-56.57);
  });
});

describe('caps', () => {
  const rb = rulebook(`${events}rules:
  - { id: pay, on: pay.done, points: "fact.amount >= 100.0 ? 8 : 3", cap: { max: 20, per: P30D }, dimension: d2, reason: { code: F10, text: Payments } }
`);
  it('a fact gets what is left of the window (t − per, t]', () => {
    // Days 0,1,2 → 8, 8, 4 (20 reached); day 3 → 0; day 30 → window (0,30] holds 8+4 → 8 left → 8.
    const facts = [0, 1, 2, 3, 30].map((d) => fact(`p${d}`, 'pay.done', d, { amount: 150 }));
    const ex = explainPerson(rb, facts, at(31), []);
    expect(ex.contributions.map((c) => c.points)).toEqual([8, 8, 4, 0, 8]);
    expect(scored(ex.outcome).score).toBe(1028);
  });
  it('caps raw points, before decay, and ties break by (occurredAt, source, id)', () => {
    const a = fact('b', 'pay.done', 0, { amount: 150 });
    const b = fact('a', 'pay.done', 0, { amount: 150 });
    const c = fact('c', 'pay.done', 0, { amount: 150 });
    const ex = explainPerson(rb, [a, b, c], at(1), []);
    expect(ex.contributions.map((x) => [x.factId, x.points])).toEqual([
      ['a', 8],
      ['b', 8],
      ['c', 4],
    ]);
  });
});

describe('inactivity', () => {
  const rb = rulebook(`${events}rules:
  - { id: pay, on: pay.done, points: 1, dimension: d2, reason: { code: F10, text: Payments } }
inactivity:
  - { id: dormant, of: [pay.done], after: P180D, points: -5, every: P30D, limit: -50, dimension: d2, reason: { code: F90, text: Dormant } }
`);
  const p = fact('p1', 'pay.done', 0, { amount: 1 });
  it('no penalty until asOf − last > after', () => {
    expect(scored(scorePerson(rb, [p], at(180), [])).score).toBe(1001);
  });
  it('points × (1 + floor((asOf − last − after) / every))', () => {
    expect(scored(scorePerson(rb, [p], at(180) + 1, [])).score).toBe(996); // 1001 − 5
    expect(scored(scorePerson(rb, [p], at(210), [])).score).toBe(991); // 1 + floor(30/30) = 2 → −10
    expect(scored(scorePerson(rb, [p], at(239), [])).score).toBe(991); // 1 + floor(59/30) = 2
    expect(scored(scorePerson(rb, [p], at(269), [])).score).toBe(986); // 1 + floor(89/30) = 3 → −15
  });
  it('is bounded by limit and disappears with the next such fact', () => {
    expect(scored(scorePerson(rb, [p], at(2000), [])).score).toBe(951); // −50
    const again = fact('p2', 'pay.done', 1999, { amount: 1 });
    expect(scored(scorePerson(rb, [p, again], at(2000), [])).score).toBe(1002);
  });
  it('counts from the enrolment when no such fact exists (opt-in time, or first fact)', () => {
    const j = fact('j', 'court.judgment', 0, { amount: 1 });
    const k = fact('k', 'court.judgment', 120, { amount: 1 });
    // Opt-out program: first fact at day 0 → at day 240: 1 + floor(60/30) = 3 → −15.
    expect(scored(scorePerson(rb, [j], at(240), [])).score).toBe(985);
    // An opt-in there, by someone who never left, is no enrolment: still from day 0.
    expect(scored(scorePerson(rb, [j], at(240), [{ action: 'opt-in', at: at(100) }])).score).toBe(985);
    // Back in after an opt-out, at day 100 → at day 240 idle 140 ≤ 180: none (day 0 no longer counts).
    const rejoined = [
      { action: 'opt-out' as const, at: at(50) },
      { action: 'opt-in' as const, at: at(100) },
    ];
    expect(scored(scorePerson(rb, [j, k], at(240), rejoined)).score).toBe(1000);
    // An opt-in program: from the opt-in at day 100, likewise.
    const optIn = rulebook(
      `${events}inactivity:\n  - { id: dormant, of: [pay.done], after: P180D, points: -5, every: P30D, limit: -50, reason: { code: F90, text: Dormant } }\n`,
      `program: t\nname: T\nenrollment: opt-in\nscale: { min: 0, max: 2000, base: 1000 }\ntiers: [{ id: A, min: 0 }]\n`,
    );
    expect(scored(scorePerson(optIn, [k], at(240), [{ action: 'opt-in', at: at(100) }])).score).toBe(1000);
    expect(scored(scorePerson(optIn, [k], at(290), [{ action: 'opt-in', at: at(100) }])).score).toBe(995);
  });
});

describe('score, tiers, dimensions and reasons', () => {
  const rb = rulebook(`${events}rules:
  - { id: j, on: court.judgment, points: "-fact.amount", dimension: d1, reason: { code: C01, text: Judgment } }
  - { id: pay, on: pay.done, points: "fact.amount", dimension: d2, reason: { code: F10, text: Payments } }
`);
  it('clamps base + Σ into [min, max] after rounding', () => {
    expect(scored(scorePerson(rb, [fact('a', 'pay.done', 0, { amount: 5000 })], at(1), [])).score).toBe(2000);
    expect(scored(scorePerson(rb, [fact('a', 'court.judgment', 0, { amount: 5000 })], at(1), [])).score).toBe(
      0,
    );
    expect(scored(scorePerson(rb, [fact('a', 'pay.done', 0, { amount: 0.5 })], at(1), [])).score).toBe(1001);
    expect(scored(scorePerson(rb, [fact('a', 'pay.done', 0, { amount: 0.49 })], at(1), [])).score).toBe(1000);
  });
  it('takes the first tier whose min the score reaches', () => {
    const tier = (n: number) =>
      scored(scorePerson(rb, [fact('a', 'court.judgment', 0, { amount: n })], at(1), [])).tier;
    expect([tier(0.4), tier(1), tier(100), tier(101)]).toEqual(['A', 'B', 'B', 'C']);
  });
  it('sums dimensions and groups reasons by code, largest negative first, up to four key factors', () => {
    const rb6 = rulebook(`${events}rules:
${[1, 2, 3, 4, 5]
  .map(
    (i) =>
      `  - { id: r${i}, on: court.judgment, when: "fact.amount == ${i}.0", points: -${i * 10}, dimension: d1, reason: { code: R${i}, text: Reason ${i} } }`,
  )
  .join('\n')}
  - { id: pay, on: pay.done, points: 7, dimension: d2, reason: { code: F10, text: Payments } }
`);
    const facts = [1, 2, 3, 4, 5, 3].map((n, i) => fact(`j${i}`, 'court.judgment', i, { amount: n }));
    facts.push(fact('p', 'pay.done', 0, { amount: 1 }));
    const s = scored(scorePerson(rb6, facts, at(10), []));
    expect(s.reasons.map((r) => [r.code, r.points])).toEqual([
      ['R3', -60],
      ['R5', -50],
      ['R4', -40],
      ['R2', -20],
      ['R1', -10],
      ['F10', 7],
    ]);
    expect(s.keyFactors.map((r) => r.code)).toEqual(['R3', 'R5', 'R4', 'R2']);
    expect(s.dimensions).toEqual({ d1: -180, d2: 7 });
    expect(s.score).toBe(827);
  });
});

describe('flags, privileges and restrictions', () => {
  const rb = rulebook(`${events}rules:
  - { id: pay, on: pay.done, points: "fact.amount", reason: { code: F10, text: Payments } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [court, case], reason: { code: L01, text: Listed } }
privileges:
  - { id: rental, context: payment, when: "score >= 1030 && !('debtor' in flags)" }
restrictions:
  - { id: no-travel, context: legal, when: "'debtor' in flags", legalBasis: "court consumption-restriction order" }
`);
  const pay = fact('p', 'pay.done', 0, { amount: 40 });
  const listA = fact('l1', 'court.listed', 10, { court: 'X', case: 'A' }, 'court');
  const listB = fact('l2', 'court.listed', 12, { court: 'X', case: 'B' }, 'court');
  const clearA = fact('r1', 'court.removed', 20, { court: 'X', case: 'A' }, 'court');
  const clearB = fact('r2', 'court.removed', 30, { court: 'X', case: 'B' }, 'court');
  it('holds a flag from the listing until its own removal', () => {
    const facts = [pay, listA, listB, clearA, clearB];
    const flagsAt = (d: number) => scored(scorePerson(rb, facts, at(d), [])).flags;
    expect([flagsAt(5), flagsAt(10), flagsAt(25), flagsAt(30)]).toEqual([[], ['debtor'], ['debtor'], []]);
  });
  it('evaluates privileges and restrictions over score and flags, and says why', () => {
    const s = scored(scorePerson(rb, [pay, listA], at(11), []));
    expect(s.privileges).toEqual({ rental: false });
    expect(s.restrictions).toEqual({ 'no-travel': true });
    const ex = explainPerson(rb, [pay, listA], at(11), []);
    const rental = ex.policies.find((p) => p.id === 'rental');
    expect(rental?.because).toEqual(['needs score >= 1030, has 1040 ✓', 'needs no "debtor" flag: has it ✗']);
    expect(ex.flags).toEqual([{ id: 'debtor', text: 'Listed', setBy: 'court/l1' }]);
    const free = scored(scorePerson(rb, [pay], at(11), []));
    expect(free.privileges).toEqual({ rental: true });
  });
});

describe('minFacts', () => {
  const rb = rulebook(
    `minFacts: 3\n${events}rules:\n  - { id: pay, on: pay.done, points: 1, reason: { code: F, text: P } }\n`,
  );
  it('fewer counted facts than minFacts: not scored, insufficient data, never a number', () => {
    const facts = [0, 1, 2].map((d) => fact(`p${d}`, 'pay.done', d, { amount: 1 }));
    const early = scorePerson(rb, facts, at(1), []);
    expect(early).toEqual({
      status: 'not-scored',
      program: 't',
      version: 1,
      asOf: at(1),
      reason: 'insufficient-data',
    });
    expect('score' in early).toBe(false);
    expect(scored(scorePerson(rb, facts, at(2), [])).score).toBe(1003);
  });
});

describe('counterfactuals', () => {
  const rb = rulebook(`${events}rules:
  - { id: j, on: court.judgment, points: -50, reason: { code: C01, text: Judgment } }
  - { id: pay, on: pay.done, points: 14, reason: { code: F10, text: Payments } }
`);
  it('gives the score without each reason', () => {
    const ex = explainPerson(
      rb,
      [fact('j', 'court.judgment', 0, { amount: 1 }), fact('p', 'pay.done', 0, { amount: 1 })],
      at(1),
      [],
    );
    expect(scored(ex.outcome).score).toBe(964);
    expect(ex.counterfactuals).toEqual([
      { code: 'C01', text: 'Judgment', points: -50, without: 1014 },
      { code: 'F10', text: 'Payments', points: 14, without: 950 },
    ]);
  });
});

describe('consent', () => {
  const opt = rulebook(
    `${events}rules:\n  - { id: pay, on: pay.done, points: 5, reason: { code: F, text: P } }\n`,
  );
  const optIn = rulebook(
    `${events}rules:\n  - { id: pay, on: pay.done, points: 5, reason: { code: F, text: P } }\n`,
    `program: t\nname: T\nenrollment: opt-in\nscale: { min: 0, max: 2000, base: 1000 }\ntiers: [{ id: A, min: 0 }]\n`,
  );
  const facts = [fact('p1', 'pay.done', 0, { amount: 1 }), fact('p2', 'pay.done', 50, { amount: 1 })];
  it('opt-out programs enrol everyone; an opt-out answers not-scored for every as-of', () => {
    expect(scored(scorePerson(opt, facts, at(60), [])).score).toBe(1010);
    const out = [{ action: 'opt-out' as const, at: at(55) }];
    expect(scorePerson(opt, facts, at(60), out)).toMatchObject({ status: 'not-scored', reason: 'opted-out' });
    expect(scorePerson(opt, facts, at(10), out)).toMatchObject({ status: 'not-scored', reason: 'opted-out' });
  });
  it('opt-in programs score only who joined, from the opt-in on', () => {
    expect(scorePerson(optIn, facts, at(60), [])).toMatchObject({
      status: 'not-scored',
      reason: 'not-enrolled',
    });
    const joined = [{ action: 'opt-in' as const, at: at(20) }];
    expect(scorePerson(optIn, facts, at(10), joined)).toMatchObject({ reason: 'not-enrolled' });
    // Consent is not retroactive: the payment of day 0, before the opt-in, does not count.
    expect(scored(scorePerson(optIn, facts, at(60), joined)).score).toBe(1005);
  });
  it('a person who re-joins starts afresh: facts up to the opt-out stay out', () => {
    const history = [
      { action: 'opt-out' as const, at: at(10) },
      { action: 'opt-in' as const, at: at(40) },
    ];
    expect(scorePerson(opt, facts, at(30), history)).toMatchObject({ reason: 'opted-out' });
    expect(scored(scorePerson(opt, facts, at(60), history)).score).toBe(1005);
  });
});

describe('retractions and disputes', () => {
  const rb = rulebook(
    `${events}rules:\n  - { id: j, on: court.judgment, points: -50, reason: { code: C01, text: J } }\n`,
  );
  it('a disputed fact stops counting while disputed when the program suspends disputes', () => {
    const f = { ...fact('j', 'court.judgment', 0, { amount: 1 }), disputed: true };
    const other = fact('k', 'court.judgment', 1, { amount: 1 });
    expect(scored(scorePerson(rb, [f, other], at(2), [])).score).toBe(950);
    const keep = rulebook(
      `disputes: { suspend: false }\n${events}rules:\n  - { id: j, on: court.judgment, points: -50, reason: { code: C01, text: J } }\n`,
    );
    expect(scored(scorePerson(keep, [f, other], at(2), [])).score).toBe(900);
  });
});
