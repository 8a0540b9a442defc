import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { compileRulebook } from '../rulebook/index.js';
import { explainPerson } from './index.js';
import { factTally, insufficientDataWords } from './insufficient-data.js';

// The tally behind "not scored: insufficient data" counts a fact exactly when scoring does: the
// words must never say a person has more (or fewer) facts that count than the score found.
const rb = compileRulebook(
  `program: b
name: B
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
minFacts: 4
disputes: { suspend: true }
events:
  pay.done: { category: payment, fields: { amount: number }, retain: P30D }
rules:
  - { id: p, on: pay.done, points: 1, reason: { code: P, text: Payments } }
`,
  { file: 'b.yaml' },
);
const DAY = 86_400_000;
const T = Date.UTC(2026, 5, 1);
const f = (id: string, day: number, extra: Partial<ScoringFact> = {}): ScoringFact => ({
  key: factKey('pay', id),
  id,
  source: 'pay',
  type: 'pay.done',
  at: T + day * DAY,
  data: { amount: 1 },
  ...extra,
});

describe('factTally', () => {
  it('counts what scoring counts and names why each other fact does not', () => {
    const facts = [
      f('old', -60), // past its 30 days at as-of
      f('out', -20), // before the opt-in after an opt-out
      f('a', -5),
      f('b', -4, { disputed: true }),
      f('c', -3),
      f('later', 3),
      f('shop', -2, { type: 'shop.order' }),
    ];
    const consent = [
      { at: T - 25 * DAY, action: 'opt-out' as const },
      { at: T - 10 * DAY, action: 'opt-in' as const },
    ];
    const t = factTally(rb, facts, T, consent);
    expect(t).toMatchObject({
      needed: 4,
      counted: 2,
      later: 1,
      beforeJoining: 2,
      pastRetention: 0,
      disputed: 1,
      otherKinds: 1,
      otherTypes: ['shop.order'],
    });
    expect(explainPerson(rb, facts, T, consent).outcome).toMatchObject({ reason: 'insufficient-data' });
    const words = insufficientDataWords(t, T);
    expect(words).toContain('needs at least 4 facts that count');
    expect(words).toContain('you have 2.');
    expect(words).toContain('1 is under dispute');
    expect(words).toContain('2 are dated before 2026-05-22');

    // Without the opt-out, the oldest is past retention and the other counts.
    const plain = factTally(rb, facts, T, []);
    expect(plain).toMatchObject({ counted: 3, pastRetention: 1, beforeJoining: 0 });
    expect(insufficientDataWords(plain, T)).toContain('1 is older than the program keeps facts of that kind');
  });
});
