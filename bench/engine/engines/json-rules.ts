import { Engine, type NestedCondition } from 'json-rules-engine';
import type { ScoringFact } from '../../../src/core/facts/fact.js';
import type { LedgerEntry } from '../../../src/core/scoring/types.js';
import { LedgerBook } from '../ledger-book.js';
import type { RulebookSpec, RuleSpec } from '../rulebook-spec.js';
import { type Atom, ruleBranches } from './branches.js';
import type { LedgerEngine } from './engine.js';

const OPERATOR: Record<Atom['op'], string> = {
  '==': 'equal',
  '!=': 'notEqual',
  '<': 'lessThan',
  '<=': 'lessThanInclusive',
  '>': 'greaterThan',
  '>=': 'greaterThanInclusive',
  in: 'in',
  'not in': 'notIn',
};

/**
 * The bench rules in json-rules-engine: one Engine per event type, one JRE rule per branch of
 * each of our rules (a ternary becomes two JRE rules with complementary conditions), the
 * branch's points in the event params. The shared LedgerBook does order, caps and entries.
 */
export function jsonRulesEngine(spec: RulebookSpec): LedgerEngine {
  const engines = new Map<string, Engine>();
  for (const [type, rules] of spec.rulesByType) {
    const engine = new Engine([], { allowUndefinedFacts: true });
    for (const rule of rules) {
      for (const b of ruleBranches(rule)) {
        const all: NestedCondition[] = b.atoms.map((a) => ({
          fact: a.field,
          operator: OPERATOR[a.op],
          value: a.value,
        }));
        // JRE needs at least one condition; an unconditional rule tests a field that is always there.
        if (all.length === 0) all.push({ fact: '__type', operator: 'equal', value: type });
        engine.addRule({
          conditions: { all },
          event: { type: 'award', params: { rule: rule.index, points: b.points } },
        });
      }
    }
    engines.set(type, engine);
  }
  const book = new LedgerBook(spec.rules);
  return {
    name: 'json-rules-engine',
    measures:
      'sort facts + per fact: await engine.run(fact data) of its type (all JRE rules of the type) + shared LedgerBook',
    kind: 'async',
    async ledger(facts: readonly ScoringFact[]): Promise<LedgerEntry[]> {
      book.begin();
      for (const f of book.order(facts)) {
        const engine = engines.get(f.type);
        if (!engine) continue;
        const { events } = await engine.run({ ...f.data, __type: f.type });
        // JRE emits in priority order, not declaration order; sort so entries match the other engines'.
        const awards = events
          .map((e) => e.params as { rule: number; points: number })
          .sort((a, b) => a.rule - b.rule);
        for (const a of awards) book.award(f, spec.rules[a.rule] as RuleSpec, a.points);
      }
      return book.entries;
    },
  };
}
