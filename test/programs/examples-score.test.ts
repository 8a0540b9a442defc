import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ConsentEvent, consentVerdict } from '../../src/core/consent/index.js';
import { factKey, type ScoringFact } from '../../src/core/facts/fact.js';
import { type CompiledRulebook, compileRulebook } from '../../src/core/rulebook/index.js';
import { PersonState } from '../../src/core/scoring/index.js';
import { DEFAULT_END, generatePopulation } from '../../src/generate/index.js';

// Both example programs, over a generated population grouped by the generator's ground truth
// (identity resolution is tested on its own): every tier is reached, every score is on the scale,
// and people without enough data or consent get a reason instead of a number.

const load = (name: string): CompiledRulebook =>
  compileRulebook(readFileSync(new URL(`../../examples/programs/${name}.yaml`, import.meta.url), 'utf8'), {
    file: `examples/programs/${name}.yaml`,
  });

const programs = [load('marketplace'), load('city-civic')];
const asOf = Date.parse(DEFAULT_END);

function scorePopulation(rb: CompiledRulebook, people: number) {
  const tiers = new Map<string, number>(rb.tiers.map((t) => [t.id, 0]));
  const notScored = new Map<string, number>();
  const scores: number[] = [];
  for (const { facts } of generatePopulation({ people, seed: 7 })) {
    const consent: ConsentEvent[] = [];
    const retracted = new Set<string>();
    const scoring: ScoringFact[] = [];
    for (const f of facts) {
      if ('retracts' in f) {
        retracted.add(factKey(f.source, f.retracts));
        continue;
      }
      const at = Date.parse(f.occurredAt);
      if (f.type === 'credence.opt_in' || f.type === 'credence.opt_out') {
        if (f.data.program === rb.program)
          consent.push({ action: f.type === 'credence.opt_in' ? 'opt-in' : 'opt-out', at });
        continue;
      }
      scoring.push({
        key: factKey(f.source, f.id),
        id: f.id,
        source: f.source,
        type: f.type,
        at,
        data: f.data,
      });
    }
    const state = new PersonState(
      rb,
      scoring.filter((f) => !retracted.has(f.key)),
    );
    const o = state.score(asOf, consent);
    if (o.status === 'scored') {
      scores.push(o.score);
      tiers.set(o.tier, (tiers.get(o.tier) ?? 0) + 1);
    } else {
      notScored.set(o.reason, (notScored.get(o.reason) ?? 0) + 1);
      if (o.reason === 'opted-out') expect(consentVerdict(rb.enrollment, consent, asOf).scorable).toBe(false);
    }
  }
  return { tiers, notScored, scores };
}

describe.each(programs.map((rb) => [rb.program, rb] as const))('example program %s', (_name, rb) => {
  const { tiers, notScored, scores } = scorePopulation(rb, 3000);

  it('scores most people, every score on the scale', () => {
    expect(scores.length).toBeGreaterThan(1000);
    for (const s of scores) {
      expect(s).toBeGreaterThanOrEqual(rb.scale.min);
      expect(s).toBeLessThanOrEqual(rb.scale.max);
    }
  });

  it('reaches every tier', () => {
    const empty = [...tiers].filter(([, n]) => n === 0).map(([t]) => t);
    expect(empty, `tiers: ${JSON.stringify(Object.fromEntries(tiers))}`).toEqual([]);
  });

  it('answers the rest with a reason, not a number', () => {
    const total = [...notScored.values()].reduce((a, b) => a + b, 0);
    expect(total + scores.length).toBe(3000);
    for (const reason of notScored.keys())
      expect(['opted-out', 'not-enrolled', 'insufficient-data']).toContain(reason);
    if (rb.enrollment === 'opt-in') expect(notScored.get('not-enrolled') ?? 0).toBeGreaterThan(0);
  });
});
