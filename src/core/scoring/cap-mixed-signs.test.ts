import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { buildLedger, PersonState } from './index.js';

// A rule whose CEL points change sign with the fact (a late statement takes, an on-time one
// gives) under one cap: DESIGN.md says what the rule awards for facts in ANY window (t − per, t]
// never exceeds max, and docs/rulebook.md that the cap bounds the total in the direction of the
// points ("at most 10 either way"). A deduction in a window must not make room for more than
// `max` of additions in a shorter window inside it, nor the other way round.

const MAX = 10;
const PER_DAYS = 30;
const rb = rulebook(`events:
  card.statement: { category: credit, fields: { delta: number } }
rules:
  - { id: st, on: card.statement, points: "fact.delta", cap: { max: ${MAX}, per: P${PER_DAYS}D }, reason: { code: R1, text: Statements } }
`);

function stmt(id: number, atMs: number, delta: number): ScoringFact {
  return {
    key: factKey('bank', `s${id}`),
    id: `s${id}`,
    source: 'bank',
    type: 'card.statement',
    at: atMs,
    data: { delta },
  };
}

/** Every window (t − per, t] that can hold a different set of entries: those ending at an entry. */
function windowSums(entries: readonly { at: number; raw: number }[]): number[] {
  const per = PER_DAYS * DAY;
  const sums: number[] = [];
  for (const end of entries) {
    // Every start in (end.at − per, end.at]: take each entry's own instant as the window's first.
    for (const start of entries) {
      if (start.at > end.at || start.at <= end.at - per) continue;
      let s = 0;
      for (const e of entries) if (e.at >= start.at && e.at <= end.at) s += e.raw;
      sums.push(s);
    }
  }
  return sums;
}

describe('a cap on a rule whose points change sign', () => {
  it('a deduction does not make room for more than max of additions in a shorter window', () => {
    // -10 on day 0, +10 on day 5, +10 on day 10: days 5..10 lie in one 30-day window and would hold +20.
    const ledger = buildLedger(rb, [stmt(1, T0, -10), stmt(2, T0 + 5 * DAY, 10), stmt(3, T0 + 10 * DAY, 10)]);
    expect(ledger.map((e) => e.raw)).toEqual([-10, 10, 0]);
  });

  it('an addition does not make room for more than max of deductions either', () => {
    const ledger = buildLedger(rb, [
      stmt(1, T0, 10),
      stmt(2, T0 + 5 * DAY, -10),
      stmt(3, T0 + 10 * DAY, -10),
    ]);
    expect(ledger.map((e) => e.raw)).toEqual([10, -10, 0]);
  });

  it('every window holds at most max either way, and one-by-one arrival agrees with the full ledger', () => {
    const arb = fc.uniqueArray(
      fc.record({
        id: fc.integer({ min: 0, max: 500 }),
        day: fc.integer({ min: 0, max: 90 }),
        delta: fc.integer({ min: -12, max: 12 }),
      }),
      { selector: (r) => r.id, maxLength: 25 },
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const facts = specs.map((s) => stmt(s.id, T0 + s.day * DAY, s.delta));
        const ledger = buildLedger(rb, facts);
        for (const s of windowSums(ledger)) {
          expect(s).toBeLessThanOrEqual(MAX);
          expect(s).toBeGreaterThanOrEqual(-MAX);
        }
        const state = new PersonState(rb);
        for (const f of facts) state.insert(f);
        expect(state.ledger.map((e) => [e.factKey, e.raw])).toEqual(ledger.map((e) => [e.factKey, e.raw]));
      }),
      { numRuns: 300 },
    );
  });
});
