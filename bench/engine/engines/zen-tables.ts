import type { ScoringFact } from '../../../src/core/facts/fact.js';
import type { LedgerEntry } from '../../../src/core/scoring/types.js';
import { LedgerBook } from '../ledger-book.js';
import type { RulebookSpec, RuleSpec } from '../rulebook-spec.js';
import { type Atom, ruleBranches } from './branches.js';
import type { LedgerEngine } from './engine.js';

// @gorules/zen-engine is installed by `npm run bench:engine`, not kept in devDependencies: the
// registry reachable here lacks its macOS and Windows builds, so a lock file that names it makes
// `npm ci` refuse to install on a fresh clone. The few members used are typed here.
interface ZenDecision {
  evaluate(input: unknown): Promise<{ result: unknown }>;
}
interface ZenEngineInstance {
  createDecision(content: unknown): ZenDecision;
  dispose(): void;
}
const zenModule = '@gorules/zen-engine';
const { ZenEngine } = (await import(zenModule)) as { ZenEngine: new () => ZenEngineInstance };

function zenLiteral(v: Atom['value']): string {
  if (Array.isArray(v)) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
  return JSON.stringify(v);
}

/** One cell: every atom of the branch on this column's field, as a zen unary test over `$`. */
function cell(atoms: readonly Atom[]): string {
  return atoms
    .map((a) =>
      a.op === 'not in' ? `not ($ in ${zenLiteral(a.value)})` : `$ ${a.op} ${zenLiteral(a.value)}`,
    )
    .join(' and ');
}

/**
 * The bench rules as zen decision tables: one table per event type (hit policy `collect`),
 * one row per branch of each of our rules, one input column per field, outputs the rule index
 * and points. The shared LedgerBook does order, caps and entries.
 */
export function zenTablesEngine(spec: RulebookSpec): LedgerEngine & { dispose(): void } {
  const zen = new ZenEngine();
  const decisions = new Map<string, ZenDecision>();
  for (const [type, rules] of spec.rulesByType) {
    const fields = Object.keys(spec.events[type]?.fields ?? {});
    const inputs = fields.map((f, i) => ({ id: `in${i}`, name: f, field: f }));
    const rows: Record<string, string>[] = [];
    for (const rule of rules) {
      ruleBranches(rule).forEach((b, k) => {
        const row: Record<string, string> = {
          _id: `${rule.id}#${k}`,
          rule: String(rule.index),
          points: String(b.points),
        };
        fields.forEach((f, i) => {
          row[`in${i}`] = cell(b.atoms.filter((a) => a.field === f));
        });
        rows.push(row);
      });
    }
    const content = {
      nodes: [
        { id: 'request', type: 'inputNode', name: 'Request', position: { x: 0, y: 0 } },
        {
          id: 'table',
          type: 'decisionTableNode',
          name: type,
          position: { x: 200, y: 0 },
          content: {
            hitPolicy: 'collect',
            inputs,
            outputs: [
              { id: 'rule', name: 'rule', field: 'rule' },
              { id: 'points', name: 'points', field: 'points' },
            ],
            rules: rows,
          },
        },
        { id: 'response', type: 'outputNode', name: 'Response', position: { x: 400, y: 0 } },
      ],
      edges: [
        { id: 'e1', sourceId: 'request', targetId: 'table', type: 'edge' },
        { id: 'e2', sourceId: 'table', targetId: 'response', type: 'edge' },
      ],
    };
    decisions.set(type, zen.createDecision(content));
  }
  const book = new LedgerBook(spec.rules);
  return {
    name: '@gorules/zen-engine (decision tables)',
    measures:
      'sort facts + per fact: await decision.evaluate(fact data) of its type (native, one table, collect) + shared LedgerBook',
    kind: 'async',
    async ledger(facts: readonly ScoringFact[]): Promise<LedgerEntry[]> {
      book.begin();
      for (const f of book.order(facts)) {
        const d = decisions.get(f.type);
        if (!d) continue;
        const { result } = await d.evaluate(f.data);
        const awards = (result as { rule: number; points: number }[]).slice().sort((a, b) => a.rule - b.rule);
        for (const a of awards) book.award(f, spec.rules[a.rule] as RuleSpec, a.points);
      }
      return book.entries;
    },
    dispose: () => zen.dispose(),
  };
}
