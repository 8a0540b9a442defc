import type { ScoringFact } from '../../../src/core/facts/fact.js';
import type { LedgerEntry } from '../../../src/core/scoring/types.js';
import { LedgerBook } from '../ledger-book.js';
import type { RulebookSpec, RuleSpec } from '../rulebook-spec.js';
import type { LedgerEngine } from './engine.js';
import { HAND_RULES, type HandRule } from './handwritten-rules.js';

/**
 * The practical limit: the bench rules as plain TypeScript closures, with the shared
 * LedgerBook doing order, caps and entries.
 */
export function handwrittenEngine(spec: RulebookSpec): LedgerEngine {
  const byType = new Map<string, { rule: RuleSpec; hand: HandRule }[]>();
  for (const rule of spec.rules) {
    const hand = HAND_RULES[rule.id];
    if (!hand) throw new Error(`bench: no hand-written function for rule ${rule.id}`);
    const list = byType.get(rule.on) ?? [];
    list.push({ rule, hand });
    byType.set(rule.on, list);
  }
  const extra = Object.keys(HAND_RULES).filter((id) => !spec.rules.some((r) => r.id === id));
  if (extra.length > 0) throw new Error(`bench: hand-written rules not in the rulebook: ${extra.join(', ')}`);
  const book = new LedgerBook(spec.rules);
  return {
    name: 'hand-written TypeScript',
    measures:
      'sort facts + per fact: the hand-written when/points closures of its type + shared LedgerBook (caps, entries)',
    kind: 'sync',
    ledger(facts: readonly ScoringFact[]): LedgerEntry[] {
      book.begin();
      for (const f of book.order(facts)) {
        const rules = byType.get(f.type);
        if (!rules) continue;
        for (const { rule, hand } of rules) {
          if (hand.when && !hand.when(f.data)) continue;
          book.award(f, rule, hand.points(f.data));
        }
      }
      return book.entries;
    },
  };
}
