import { describe, expect, it } from 'vitest';
import type { CompiledPolicy, CompiledRulebook } from '../../../core/rulebook/index.js';
import type { Explanation, Scored } from '../../../core/scoring/index.js';
import { adverseActionNotice, LIMITED_HISTORY } from './adverse-action.js';

const rb = {
  program: 'marketplace',
  version: 2,
  scale: { min: 350, max: 950 },
} as unknown as CompiledRulebook;
const ex = { contributions: [], flags: [] } as unknown as Explanation;
const policy = {
  id: 'deposit-free-bike',
  kind: 'privilege',
  when: (i: { score: number }) => i.score >= 600,
  reads: { score: true, tier: false, flags: [], allFlags: false, dimensions: [], allDimensions: false },
} as unknown as CompiledPolicy;
const scored = (keyFactors: { code: string; text: string; points: number }[]) =>
  ({ score: 563, asOf: Date.parse('2026-11-01T00:00:00Z'), keyFactors }) as unknown as Scored;

describe('the adverse-action notice of a denial', () => {
  it('names what held the person back when no fact lowered the score', () => {
    const n = adverseActionNotice(rb, scored([]), ex, policy, ['score 563 < 600'], []);
    expect(n.keyFactors).toEqual([
      { code: LIMITED_HISTORY, text: expect.stringContaining('in your favour'), points: 0 },
    ]);
    expect(n).toMatchObject({ score: 563, range: { min: 350, max: 950 }, because: ['score 563 < 600'] });
  });

  it('gives at most four factors that lowered the score, and no made-up one beside them', () => {
    const f = (i: number) => ({ code: `LATE_${i}`, text: `late payment ${i}`, points: -10 * i });
    const n = adverseActionNotice(rb, scored([1, 2, 3, 4, 5].map(f)), ex, policy, [], []);
    expect(n.keyFactors.map((k) => k.code)).toEqual(['LATE_1', 'LATE_2', 'LATE_3', 'LATE_4']);
  });
});
