import { compareFacts, type FieldValue, factKey, type ScoringFact } from '../../src/core/facts/fact.js';
import { prng, seedFor } from './prng.js';
import type { RulebookSpec } from './rulebook-spec.js';

/** How often each kind of event happens, by category; rare, adverse types are damped below. */
const CATEGORY_WEIGHT: Record<string, number> = {
  payment: 5,
  commerce: 4,
  'platform-activity': 3,
  utility: 2,
  telecom: 2,
  contract: 1.5,
  credit: 1,
  identity: 0.2,
  legal: 0.05,
};
const ADVERSE = /default|unpaid|blacklist|overdue|arrear|fraud|penalt/;

export interface FactGeneratorOptions {
  readonly seed: number;
  /** Facts per person are uniform in [min, max]; the bench uses 10..30 (mean 20). */
  readonly minFacts: number;
  readonly maxFacts: number;
  /** Facts fall uniformly in [from, to) (epoch ms). */
  readonly from: number;
  readonly to: number;
}

interface FieldGen {
  readonly name: string;
  readonly gen: (r: () => number) => FieldValue;
}

interface TypeGen {
  readonly type: string;
  readonly source: string;
  readonly fields: readonly FieldGen[];
}

/**
 * Deterministic facts for any rulebook: event types come from its `events`, and field values
 * straddle the literals its rules compare them with (every threshold is crossed both ways,
 * every string literal occurs), so all branches of `when` and ternary `points` are taken.
 * Person `i` depends only on (seed, i), so people can be generated one at a time.
 *
 * @example
 * const gen = new FactGenerator(spec, { seed: 1, minFacts: 10, maxFacts: 30, from, to });
 * gen.person(0) // ScoringFact[] in time order
 */
export class FactGenerator {
  readonly #opts: FactGeneratorOptions;
  readonly #types: readonly TypeGen[];
  readonly #cumulative: readonly number[];

  constructor(spec: RulebookSpec, opts: FactGeneratorOptions) {
    this.#opts = { ...opts };
    const types: TypeGen[] = [];
    const weights: number[] = [];
    for (const [type, def] of Object.entries(spec.events)) {
      const texts = (spec.rulesByType.get(type) ?? []).flatMap((r) => [r.whenText ?? '', r.pointsText]);
      types.push({
        type,
        source: type.split('.')[0] ?? type,
        fields: Object.entries(def.fields).map(([name, t]) => ({ name, gen: fieldGen(name, t, texts) })),
      });
      const w = CATEGORY_WEIGHT[def.category] ?? 1;
      weights.push(ADVERSE.test(type) ? Math.min(w, 0.05) : w);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    this.#cumulative = weights.map((w) => (acc += w / total));
    this.#types = types;
  }

  /** The facts of person `i`, in (occurredAt, source, id) order. */
  person(i: number): ScoringFact[] {
    const r = prng(seedFor(this.#opts.seed, i));
    const { minFacts, maxFacts, from, to } = this.#opts;
    const n = minFacts + Math.floor(r() * (maxFacts - minFacts + 1));
    const ats: number[] = [];
    // Whole seconds, as furnishers send them; ties are possible and ordered by (source, id).
    for (let j = 0; j < n; j++) ats.push(from + Math.floor((r() * (to - from)) / 1000) * 1000);
    ats.sort((a, b) => a - b);
    const facts: ScoringFact[] = [];
    for (let j = 0; j < n; j++) {
      const t = this.#pickType(r());
      const data: Record<string, FieldValue> = {};
      for (const f of t.fields) data[f.name] = f.gen(r);
      const id = `p${i}-${j}`;
      facts.push({
        key: factKey(t.source, id),
        id,
        source: t.source,
        type: t.type,
        at: ats[j] as number,
        data,
      });
    }
    return facts.sort(compareFacts);
  }

  /** People 0.. until `totalFacts` facts are reached (the last person is cut to fit). */
  people(totalFacts: number): ScoringFact[][] {
    const out: ScoringFact[][] = [];
    let left = totalFacts;
    for (let i = 0; left > 0; i++) {
      const p = this.person(i);
      out.push(p.length > left ? p.slice(0, left) : p);
      left -= p.length;
    }
    return out;
  }

  #pickType(x: number): TypeGen {
    const c = this.#cumulative;
    for (let k = 0; k < c.length; k++) if (x < (c[k] as number)) return this.#types[k] as TypeGen;
    return this.#types[this.#types.length - 1] as TypeGen;
  }
}

function fieldGen(name: string, type: string, texts: readonly string[]): FieldGen['gen'] {
  if (type === 'boolean') return (r) => r() < 0.3;
  if (type === 'string') {
    const lits = stringLiterals(name, texts);
    const values = [...lits, 'other', `${name}-x`];
    return (r) => values[Math.floor(r() * values.length)] as string;
  }
  const thresholds = numberLiterals(name, texts);
  // Lateness is mostly zero in real data; keep it so, or "on time" rules never dominate.
  const zeroShare = /late|overdue/.test(name) ? 0.75 : 0.05;
  if (thresholds.length === 0)
    return (r) => (r() < zeroShare ? 0 : Math.round(Math.exp(r() * 9) * 100) / 100);
  return (r) => {
    if (r() < zeroShare) return 0;
    const t = thresholds[Math.floor(r() * thresholds.length)] as number;
    const base = t === 0 ? 10 : Math.abs(t);
    return Math.round(base * (0.5 + r()) * 100) / 100;
  };
}

function numberLiterals(field: string, texts: readonly string[]): number[] {
  const re = new RegExp(`fact\\.${field}\\s*(?:>=|<=|==|!=|>|<)\\s*(-?\\d+(?:\\.\\d+)?)`, 'g');
  const out = new Set<number>();
  for (const t of texts) for (const m of t.matchAll(re)) out.add(Number(m[1]));
  return [...out].sort((a, b) => a - b);
}

function stringLiterals(field: string, texts: readonly string[]): string[] {
  const out = new Set<string>();
  const eq = new RegExp(`fact\\.${field}\\s*(?:==|!=)\\s*'([^']*)'`, 'g');
  const inList = new RegExp(`fact\\.${field}\\s+in\\s+\\[([^\\]]*)\\]`, 'g');
  for (const t of texts) {
    for (const m of t.matchAll(eq)) out.add(m[1] as string);
    for (const m of t.matchAll(inList))
      for (const s of (m[1] as string).matchAll(/'([^']*)'/g)) out.add(s[1] as string);
  }
  return [...out].sort();
}
