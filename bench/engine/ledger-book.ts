import { compareFacts, type FieldValue, type ScoringFact } from '../../src/core/facts/fact.js';
import type { LedgerEntry } from '../../src/core/scoring/types.js';
import type { RuleSpec } from './rulebook-spec.js';

/** Per rule: the awards still inside the cap window, as a queue with a running sum. */
interface CapWindow {
  ats: number[];
  raws: number[];
  head: number;
  sum: number;
}

/**
 * The ledger bookkeeping every comparison engine shares, so that only rule evaluation differs
 * between them: facts in (occurredAt, source, id) order, one entry per rule that fires, and
 * caps per DESIGN.md — the raw points a rule awards in the window (t − per, t] never exceed
 * `max`; a fact at t gets what is left.
 *
 * @example
 * const book = new LedgerBook(spec.rules);
 * book.begin();
 * for (const f of book.order(facts)) book.award(f, rule, 2);
 * book.entries
 */
export class LedgerBook {
  readonly #windows: (CapWindow | undefined)[];
  #touched: CapWindow[] = [];
  entries: LedgerEntry[] = [];

  constructor(rules: readonly RuleSpec[]) {
    this.#windows = rules.map((r) => (r.cap ? { ats: [], raws: [], head: 0, sum: 0 } : undefined));
  }

  /** Starts a new person's ledger. */
  begin(): void {
    for (const w of this.#touched) {
      w.ats.length = 0;
      w.raws.length = 0;
      w.head = 0;
      w.sum = 0;
    }
    this.#touched = [];
    this.entries = [];
  }

  /** The facts in application order (facts may arrive in any order). */
  order(facts: readonly ScoringFact[]): ScoringFact[] {
    return [...facts].sort(compareFacts);
  }

  /**
   * Records that `rule` gave `points` for `fact`; facts must come in application order.
   * Zero points make no entry (nothing to explain).
   */
  award(fact: ScoringFact, rule: RuleSpec, points: number): void {
    if (points === 0) return;
    let raw = points;
    const cap = rule.cap;
    if (cap) {
      const w = this.#windows[rule.index] as CapWindow;
      if (w.ats.length === 0) this.#touched.push(w);
      const from = fact.at - cap.perMs;
      while (w.head < w.ats.length && (w.ats[w.head] as number) <= from) {
        w.sum -= w.raws[w.head] as number;
        w.head++;
      }
      // A cap bounds awards in the direction of the points (DESIGN.md: "never exceed max").
      raw =
        points >= 0
          ? Math.min(points, Math.max(0, cap.max - w.sum))
          : Math.max(points, Math.min(0, -cap.max - w.sum));
      w.ats.push(fact.at);
      w.raws.push(raw);
      w.sum += raw;
    }
    this.entries.push({
      factKey: fact.key,
      source: fact.source,
      factId: fact.id,
      type: fact.type,
      ruleId: rule.id,
      at: fact.at,
      points,
      raw,
      // Always present (maybe undefined) so every entry has one hidden class.
      dimension: rule.dimension,
      reason: rule.reason,
      decay: rule.decay,
    });
  }
}

/** One fact's data, as every engine receives it. */
export type FactData = Readonly<Record<string, FieldValue>>;
