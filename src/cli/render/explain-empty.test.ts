import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../../core/facts/fact.js';
import { compileRulebook } from '../../core/rulebook/index.js';
import { explainPerson } from '../../core/scoring/index.js';
import { explainText } from './explain-text.js';

// A person whose points cancel out (-10 then +10) in a rulebook without dimensions or policies:
// `credence explain` printed "dimensions: " with nothing after it and three headings over empty
// lists (reasons, counterfactuals, privileges and restrictions), which read as if output was lost.

const rb = compileRulebook(
  `program: b
name: B
enrollment: opt-out
scale: { min: 350, max: 950, base: 600 }
tiers: [{ id: A, min: 350 }]
events:
  card.statement: { category: credit, fields: { late: number } }
rules:
  - { id: s, on: card.statement, points: "fact.late > 0.0 ? -10 : 10", reason: { code: R1, text: Statements } }
`,
  { file: 'b.yaml' },
);
const f = (id: string, day: number, late: number): ScoringFact => ({
  key: factKey('bank', id),
  id,
  source: 'bank',
  type: 'card.statement',
  at: Date.UTC(2026, 0, 1 + day),
  data: { late },
});

describe('explainText with empty sections', () => {
  it('says (none) instead of a bare heading or an empty value', () => {
    const x = explainPerson(rb, [f('s1', 0, 5), f('s2', 5, 0)], Date.UTC(2026, 1, 1), []);
    const out = explainText('carol', x, { rb });
    expect(out).toContain('score 600 ');
    expect(out).toContain('dimensions: (none)\n');
    expect(out).toContain('reasons: (none: no reason code sums to other than 0)\n');
    expect(out).toContain('counterfactuals: (none)\n');
    expect(out).toContain('privileges and restrictions: (none)\n');
    expect(out).not.toMatch(/: \n/);
  });
});
