import { describe, expect, it } from 'vitest';
import { ComparisonTally, comparisonReport } from '../../core/compare/index.js';
import type { ScoreOutcome } from '../../core/scoring/types.js';
import { comparisonText } from './comparison-text.js';

const scored = (score: number, tier: string): ScoreOutcome =>
  ({
    status: 'scored',
    program: 'p',
    version: 1,
    asOf: 0,
    score,
    tier,
    reasons: [],
    privileges: {},
    restrictions: {},
    flags: [],
  }) as unknown as ScoreOutcome;
const withPerk = (o: ScoreOutcome): ScoreOutcome =>
  ({ ...o, privileges: { 'deposit-free-bike': true } }) as ScoreOutcome;
const unscored = (reason: 'insufficient-data' | 'opted-out' | 'not-enrolled'): ScoreOutcome =>
  ({ status: 'not-scored', program: 'p', version: 1, asOf: 0, reason }) as ScoreOutcome;

function text(
  pairs: [string, ScoreOutcome, ScoreOutcome][],
  effectiveFrom = 0,
  enrollment: { baseline: 'opt-in' | 'opt-out'; candidate: 'opt-in' | 'opt-out' } = {
    baseline: 'opt-out',
    candidate: 'opt-out',
  },
): string {
  const t = new ComparisonTally(10);
  for (const [s, a, b] of pairs) t.add(s, a, b);
  return comparisonText(
    comparisonReport(t.result(), {
      program: 'p',
      asOf: Date.UTC(2026, 0, 1),
      projection: false,
      enrollment,
      baseline: { version: 1, name: 'One' },
      candidate: { file: 'two.yaml', name: 'Two', effectiveFrom },
    }),
  );
}

describe('comparisonText', () => {
  it('says why a person is not scored in words, not as the JSON code', () => {
    const out = text([['P0000001', scored(536, 'poor'), unscored('insufficient-data')]]);
    expect(out).toContain('P0000001  poor 536 -> not scored (insufficient data)');
    expect(out).toContain('  poor -> not scored (insufficient data): 1');
    expect(out).not.toContain('insufficient-data');
  });

  it('names a tier change with the same score as such, not as a change of +0', () => {
    const out = text([['P0000002', scored(595, 'fair'), scored(595, 'good')]]);
    expect(out).toContain('P0000002  fair 595 -> good 595 (same score)');
    expect(out).toContain(
      'tiers: changed for 1 person (a move in or out of being scored included), unchanged for 0',
    );
    expect(out).not.toContain('(+0)');
    expect(out).not.toContain('(0)');
  });

  it('says when the candidate applies only from a date after the as-of it is compared at', () => {
    const pair: [string, ScoreOutcome, ScoreOutcome] = ['P0000003', scored(600, 'good'), scored(610, 'good')];
    const later = text([pair], Date.UTC(2026, 5, 1));
    expect(later).toContain(
      'note: the candidate applies from 2026-06-01T00:00:00.000Z, after 2026-01-01T00:00:00.000Z; it is compared as if in force then',
    );
    expect(text([pair], Date.UTC(2025, 5, 1))).not.toContain('note:');
    expect(text([pair])).not.toContain('note:');
  });

  it('names the privilege, restriction or flag a person gains or loses', () => {
    const out = text([['P0000004', withPerk(scored(615, 'good')), scored(615, 'good')]]);
    expect(out).toContain('P0000004  good 615 -> good 615 (same score; loses privilege deposit-free-bike)');
  });
  it('says loudly when the candidate makes an opt-in program opt-out, and how many never enrolled it would score', () => {
    const pairs: [string, ScoreOutcome, ScoreOutcome][] = [
      ['P0000004', unscored('not-enrolled'), scored(600, 'good')],
      ['P0000005', unscored('not-enrolled'), scored(610, 'good')],
      ['P0000006', unscored('opted-out'), unscored('opted-out')],
      ['P0000007', scored(620, 'good'), scored(620, 'good')],
    ];
    const out = text(pairs, 0, { baseline: 'opt-in', candidate: 'opt-out' });
    expect(out).toContain(
      'note: the candidate makes p opt-out (it is opt-in now): people who never enrolled would be scored without being asked, 2 of them here',
    );
    expect(text(pairs)).not.toContain('note: the candidate makes');
  });

  it('gives the middle eight in ten only for ten people or more', () => {
    const one = text([['P0000003', scored(595, 'fair'), scored(598, 'fair')]]);
    expect(one).toContain('change (candidate minus v1): mean +3, median +3; all between +3 and +3');
    expect(one).not.toContain('8 in 10');
    const ten = text(
      Array.from({ length: 10 }, (_, i): [string, ScoreOutcome, ScoreOutcome] => [
        `P000001${i}`,
        scored(500, 'fair'),
        scored(500 + i, 'fair'),
      ]),
    );
    expect(ten).toMatch(/; 8 in 10 people between \+?\d+(\.\d+)? and \+\d+(\.\d+)?; all between 0 and \+9/);
  });
});
