import { readFileSync } from 'node:fs';
import { Environment } from '@marcbachmann/cel-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFacts, type FieldValue, type ScoringFact } from '../../src/core/facts/fact.js';
import { compileRulebook } from '../../src/core/rulebook/index.js';
import { buildLedger } from '../../src/core/scoring/index.js';
import type { LedgerEntry } from '../../src/core/scoring/types.js';
import { ruleBranches } from './engines/branches.js';
import { handwrittenEngine } from './engines/handwritten.js';
import { jsonRulesEngine } from './engines/json-rules.js';
import { zenTablesEngine } from './engines/zen-tables.js';
import { FactGenerator } from './facts-generator.js';
import { LedgerBook } from './ledger-book.js';
import { type RuleSpec, readRulebookSpec } from './rulebook-spec.js';

const PATH = 'bench/engine/fixtures/bench-50.yaml';
const TEXT = readFileSync(PATH, 'utf8');
const SPEC = readRulebookSpec(TEXT);
const RB = compileRulebook(TEXT, { file: PATH });
const FROM = Date.parse('2023-01-01T00:00:00Z');
const TO = Date.parse('2026-01-01T00:00:00Z');

const sig = (l: readonly LedgerEntry[]) => l.map((e) => `${e.factKey} ${e.ruleId} ${e.points} ${e.raw}`);

/** A permutation of the facts from a seed: engines must not depend on arrival order. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('branches: the rules json-rules-engine and zen get', () => {
  const CEL: Record<string, string> = { number: 'double', string: 'string', boolean: 'bool' };
  const evalRule = (rule: RuleSpec, data: Record<string, FieldValue>): number | undefined => {
    const schema: Record<string, string> = {};
    for (const [k, t] of Object.entries(SPEC.events[rule.on]?.fields ?? {})) schema[k] = CEL[t] as string;
    const env = new Environment({ homogeneousAggregateLiterals: false }).registerVariable({
      name: 'fact',
      schema,
    });
    if (rule.whenText !== undefined && env.evaluate(rule.whenText, { fact: data }) !== true) return undefined;
    return Number(env.evaluate(rule.pointsText, { fact: data }));
  };
  const holds = (
    a: { field: string; op: string; value: unknown },
    d: Record<string, FieldValue>,
  ): boolean => {
    const v = d[a.field] as never;
    const w = a.value as never;
    switch (a.op) {
      case '==':
        return v === w;
      case '!=':
        return v !== w;
      case '<':
        return v < w;
      case '<=':
        return v <= w;
      case '>':
        return v > w;
      case '>=':
        return v >= w;
      case 'in':
        return (a.value as string[]).includes(v);
      default:
        return !(a.value as string[]).includes(v);
    }
  };

  it('give what CEL gives, for every rule, on generated data (at most one branch holds)', () => {
    const gen = new FactGenerator(SPEC, { seed: 7, minFacts: 10, maxFacts: 30, from: FROM, to: TO });
    fc.assert(
      fc.property(fc.nat(1_000_000), (i) => {
        for (const f of gen.person(i)) {
          for (const rule of SPEC.rulesByType.get(f.type) ?? []) {
            const data = f.data as Record<string, FieldValue>;
            const hit = ruleBranches(rule).filter((b) => b.atoms.every((a) => holds(a, data)));
            expect(hit.length).toBeLessThanOrEqual(1);
            expect(hit[0]?.points).toBe(evalRule(rule, data));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses what it cannot express instead of guessing', () => {
    const rule = { ...(SPEC.rules[0] as RuleSpec), pointsText: 'fact.amount / 10.0' };
    expect(() => ruleBranches(rule)).toThrow(/outside the subset/);
  });
});

describe('facts generator', () => {
  const opts = { seed: 11, minFacts: 10, maxFacts: 30, from: FROM, to: TO };
  it('gives the same person whatever else was generated before', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (i, j) => {
        const a = new FactGenerator(SPEC, opts);
        const b = new FactGenerator(SPEC, opts);
        b.person(j);
        expect(b.person(i)).toEqual(a.person(i));
      }),
      { numRuns: 50 },
    );
  });

  it('gives 10–30 facts per person in application order, with declared fields only', () => {
    const gen = new FactGenerator(SPEC, opts);
    for (let i = 0; i < 200; i++) {
      const p = gen.person(i);
      expect(p.length).toBeGreaterThanOrEqual(10);
      expect(p.length).toBeLessThanOrEqual(30);
      expect([...p].sort(compareFacts)).toEqual(p);
      for (const f of p)
        expect(Object.keys(f.data).sort()).toEqual(Object.keys(SPEC.events[f.type]?.fields ?? {}).sort());
    }
  });

  it('cuts the last person so the total is exact', () => {
    const people = new FactGenerator(SPEC, opts).people(1234);
    expect(people.reduce((a, p) => a + p.length, 0)).toBe(1234);
  });
});

describe('LedgerBook caps', () => {
  // DESIGN.md read literally: awards in (t − per, t] never exceed max; a fact at t gets what is left.
  const naive = (awards: { at: number; points: number }[], max: number, per: number): number[] => {
    const raws: number[] = [];
    awards.forEach((a, k) => {
      let sum = 0;
      for (let j = 0; j < k; j++) if ((awards[j] as { at: number }).at > a.at - per) sum += raws[j] as number;
      raws.push(
        a.points >= 0
          ? Math.min(a.points, Math.max(0, max - sum))
          : Math.max(a.points, Math.min(0, -max - sum)),
      );
    });
    return raws;
  };

  it('award what the cap rule, applied literally, awards', () => {
    const award = fc.record({ at: fc.integer({ min: 0, max: 200 }), points: fc.integer({ min: 1, max: 6 }) });
    fc.assert(
      fc.property(
        fc.array(award, { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        (raw, max, per, negative) => {
          const awards = raw
            .map((a) => ({ ...a, points: negative ? -a.points : a.points }))
            .sort((x, y) => x.at - y.at);
          const rule: RuleSpec = { ...(SPEC.rules[0] as RuleSpec), index: 0, cap: { max, perMs: per } };
          const book = new LedgerBook([rule]);
          book.begin();
          awards.forEach((a, k) => {
            book.award(
              { key: `s/${k}`, id: String(k), source: 's', type: rule.on, at: a.at, data: {} },
              rule,
              a.points,
            );
          });
          expect(book.entries.map((e) => e.raw)).toEqual(naive(awards, max, per));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('every engine builds the ledger buildLedger builds', () => {
  const hand = handwrittenEngine(SPEC);
  const jre = jsonRulesEngine(SPEC);
  const zen = zenTablesEngine(SPEC);

  it('hand-written, json-rules-engine and zen, for people of any seed, facts in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (seed, order) => {
        const gen = new FactGenerator(SPEC, { seed, minFacts: 1, maxFacts: 40, from: FROM, to: TO });
        const facts: ScoringFact[] = shuffled(gen.person(0), order);
        const want = sig(buildLedger(RB, facts));
        expect(sig(hand.kind === 'sync' ? hand.ledger(facts) : [])).toEqual(want);
        expect(sig(await jre.ledger(facts))).toEqual(want);
        expect(sig(await zen.ledger(facts))).toEqual(want);
      }),
      { numRuns: 40 },
    );
  });
});
