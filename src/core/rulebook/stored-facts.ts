import type { ErrorDetail } from '../errors/index.js';
import type { ScoringFact } from '../facts/fact.js';
import { MAX_POINTS } from './limits.js';
import type { CompiledRule, CompiledRulebook } from './types.js';

interface Failure {
  readonly path: string;
  count: number;
  readonly example: string;
  readonly type: string;
  readonly missing: readonly string[];
  readonly why: string;
}

/**
 * Whether a rulebook's rules can be evaluated on the facts already stored (and its keyed flags
 * can pair them), before it is added as a version: loading it re-derives the program's ledgers from those facts, and a rule that fails on
 * one (typically reading a field a later version declared, which facts sent before lack) would
 * leave the version stored and every score of that person failing. Each failing `when` or
 * `points` is one problem at its path, with how many stored facts and one of them.
 *
 * @example
 * const check = new StoredFactsCheck(rb); for (const f of stored) check.add(f); check.problems();
 */
export class StoredFactsCheck {
  readonly #rb: CompiledRulebook;
  readonly #failures = new Map<string, Failure>();

  constructor(rb: CompiledRulebook) {
    this.#rb = rb;
  }

  add(f: ScoringFact): void {
    const def = this.#rb.events[f.type];
    if (!def) return;
    // A flag pairs a listing with its removal by key fields: a stored listing or removal without
    // one could never be paired (its key would read "undefined"), so a listing would hold forever.
    this.#rb.flags.forEach((flag, i) => {
      if (!flag.key || (f.type !== flag.set && f.type !== flag.clear)) return;
      flag.key.forEach((k, j) => {
        if (f.data[k] !== undefined) return;
        const path = `flags[${i}].key[${j}]`;
        const seen = this.#failures.get(path);
        if (seen) seen.count++;
        else
          this.#failures.set(path, {
            path,
            count: 1,
            example: f.key,
            type: f.type,
            missing: [k],
            why: 'a listing and its removal are paired by this field',
          });
      });
    });
    const rules = this.#rb.rulesByType.get(f.type);
    if (!rules) return;
    for (const rule of rules) {
      const i = this.#rb.rules.indexOf(rule);
      const part = this.#evaluate(rule, f);
      if (!part) continue;
      const path = `rules[${i}].${part.part}`;
      const seen = this.#failures.get(path);
      if (seen) seen.count++;
      else {
        const missing = Object.keys(def.fields).filter((k) => f.data[k] === undefined);
        this.#failures.set(path, { path, count: 1, example: f.key, type: f.type, missing, why: part.why });
      }
    }
  }

  #evaluate(rule: CompiledRule, f: ScoringFact): { part: 'when' | 'points'; why: string } | undefined {
    try {
      if (rule.when && !rule.when(f.data)) return undefined;
    } catch (e) {
      return { part: 'when', why: firstLine(e) };
    }
    try {
      const points = rule.points(f.data);
      // The ledger refuses what it refuses (ledger.ts): NaN, ±Infinity and any number past the
      // bound. A finite 5e12 let through here stored the version and then failed its re-derivation.
      if (points >= -MAX_POINTS && points <= MAX_POINTS) return undefined;
      return {
        part: 'points',
        why: `gives ${points} points${Number.isFinite(points) ? `, beyond the ±${MAX_POINTS.toLocaleString('en')} one rule may give` : ''}`,
      };
    } catch (e) {
      return { part: 'points', why: firstLine(e) };
    }
  }

  problems(): ErrorDetail[] {
    return [...this.#failures.values()].map((x) => {
      const facts = `${x.count} stored fact${x.count === 1 ? '' : 's'} of ${x.type}`;
      if (x.path.startsWith('flags['))
        return {
          code: 'CREDENCE_E_RULEBOOK_INVALID',
          path: x.path,
          reason: `${facts} (such as ${x.example}) ${x.count === 1 ? 'lacks' : 'lack'} fact.${x.missing[0]}, sent before the field was declared: ${x.why}, so they could never be paired`,
        } satisfies ErrorDetail;
      const reason =
        x.missing.length > 0
          ? `cannot be evaluated on ${facts} (such as ${x.example}), which ${x.count === 1 ? 'lacks' : 'lack'} ${x.missing.map((m) => `fact.${m}`).join(', ')}: they were sent before the field was declared; read it only under has(fact.${x.missing[0]}) (${x.why})`
          : `cannot be evaluated on ${facts} (such as ${x.example}): ${x.why}`;
      return { code: 'CREDENCE_E_RULEBOOK_INVALID', path: x.path, reason };
    });
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] as string;
}
