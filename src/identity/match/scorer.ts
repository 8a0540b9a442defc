import type { Profile } from '../profile.js';
import type { FieldEvidence } from '../types.js';
import {
  addressLevel,
  C,
  COMPARISON_COUNT,
  COMPARISONS,
  comparedValue,
  compareProfiles,
} from './comparisons.js';
import {
  type CompiledModel,
  compileModel,
  type MatchModel,
  tfAdjustment,
  weightToProbability,
} from './model.js';

/** Name frequencies the scorer reads; live ones grow as records arrive. */
export class TermFrequencies {
  total = 0;
  readonly given = new Map<string, number>();
  readonly surname = new Map<string, number>();

  static from(counts: MatchModel['tf']): TermFrequencies {
    const tf = new TermFrequencies();
    if (!counts) return tf;
    tf.total = counts.total;
    for (const [k, v] of Object.entries(counts.given)) tf.given.set(k, v);
    for (const [k, v] of Object.entries(counts.surname)) tf.surname.set(k, v);
    return tf;
  }

  add(p: Profile): void {
    this.total++;
    if (p.given) this.given.set(p.given, (this.given.get(p.given) ?? 0) + 1);
    if (p.surname) this.surname.set(p.surname, (this.surname.get(p.surname) ?? 0) + 1);
  }

  toJSON(): NonNullable<MatchModel['tf']> {
    return {
      total: this.total,
      given: Object.fromEntries(this.given),
      surname: Object.fromEntries(this.surname),
    };
  }
}

/** Scores pairs of profiles under a model: summed field weights, and the evidence behind them. */
export class PairScorer {
  readonly compiled: CompiledModel;
  readonly tf: TermFrequencies;
  readonly #levels = new Int8Array(COMPARISON_COUNT);

  readonly #maxAddress: number;

  constructor(model: MatchModel, tf: TermFrequencies) {
    this.compiled = compileModel(model);
    this.tf = tf;
    this.#maxAddress = Math.max(...(this.compiled.weights[C.address] as Float64Array));
  }

  /** Sum of field weights (log2 Bayes factors) for the pair, term-frequency adjusted. */
  weight(a: Profile, b: Profile): number {
    return this.weightAbove(a, b, Number.NEGATIVE_INFINITY);
  }

  /**
   * Like `weight`, but when the pair cannot reach `floor` whatever the address says, skips
   * the address comparison (the costliest) and returns a value below `floor`.
   */
  weightAbove(a: Profile, b: Profile, floor: number): number {
    const lv = this.#levels;
    compareProfiles(a, b, lv, true);
    const w = this.compiled.weights;
    let sum = 0;
    for (let c = 0; c < COMPARISON_COUNT; c++) {
      const l = lv[c] as number;
      if (l >= 0) sum += (w[c] as Float64Array)[l] as number;
    }
    if (lv[0] === 0) sum += this.#tfGiven(a.given as string);
    if (lv[1] === 0) sum += this.#tfSurname(a.surname as string);
    if (a.address && b.address) {
      const aw = w[C.address] as Float64Array;
      if (sum + this.#maxAddress < floor) return sum + (aw[aw.length - 1] as number);
      sum += aw[addressLevel(a, b)] as number;
    }
    return sum;
  }

  probability(fieldWeight: number): number {
    return weightToProbability(this.compiled, fieldWeight);
  }

  /** Each field's outcome and weight for the pair, for people to read. */
  evidence(a: Profile, b: Profile): FieldEvidence[] {
    const lv = new Int8Array(COMPARISON_COUNT);
    const swapped = compareProfiles(a, b, lv);
    const out: FieldEvidence[] = [];
    COMPARISONS.forEach((spec, c) => {
      const l = lv[c] as number;
      const va = comparedValue(a, c);
      let vb = comparedValue(b, c);
      if (swapped && c === 0) vb = b.surname;
      if (swapped && c === 1) vb = b.given;
      if (l < 0) {
        if (va !== undefined || vb !== undefined)
          out.push({ field: spec.field, outcome: 'missing', weight: 0 });
        return;
      }
      let weight = (this.compiled.weights[c] as Float64Array)[l] as number;
      const notes: string[] = [`${va} vs ${vb}`];
      if (c === 0 && l === 0) {
        const adj = this.#tfGiven(a.given as string);
        weight += adj;
        notes.push(this.#tfNote(this.tf.given, a.given as string, adj));
      }
      if (c === 1 && l === 0) {
        const adj = this.#tfSurname(a.surname as string);
        weight += adj;
        notes.push(this.#tfNote(this.tf.surname, a.surname as string, adj));
      }
      if (swapped && (c === 0 || c === 1)) notes.push('given/family order swapped');
      out.push({
        field: spec.field,
        outcome: spec.levels[l] as string,
        weight: round(weight),
        detail: notes.join('; '),
      });
    });
    return out;
  }

  #tfGiven(v: string): number {
    if (this.tf.total === 0) return 0;
    return tfAdjustment(this.tf.given.get(v) ?? 0, this.tf.total, this.compiled.uExactGiven);
  }

  #tfSurname(v: string): number {
    if (this.tf.total === 0) return 0;
    return tfAdjustment(this.tf.surname.get(v) ?? 0, this.tf.total, this.compiled.uExactSurname);
  }

  /**
   * With no names counted (ingest's engine: an untrained model, whose counts are frozen empty so
   * that a weight does not depend on how many namesakes came first), the weight is the average
   * one: saying so, not "0.00%", which read as the name never being seen, for the commonest.
   */
  #tfNote(m: Map<string, number>, v: string, adj: number): string {
    if (this.tf.total === 0) return 'no name frequencies in this model: average weight';
    return `term frequency ${(((m.get(v) ?? 0) / this.tf.total) * 100).toFixed(2)}%, ${fmt(adj)}`;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function fmt(x: number): string {
  return `${x >= 0 ? '+' : ''}${round(x)}`;
}
