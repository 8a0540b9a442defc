import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/cli/render/explain-text.js';
import { explainPerson } from '../../src/core/scoring/index.js';
import { DAY, fact, rulebook, T0 } from '../../src/core/testing/builders.js';
import { line, makeWorld, ok } from '../e2e/cli.js';

// A fact the cap cut short showed only what it got ("raw -5.00") beside a rule that reads "gives
// (-(fact.days)) points" for a fact of 15 days: the person could not tell a cap from an error. The
// explanation now carries what the rule gave before the cap (`uncapped`), and `credence explain`
// says it under the point.

const rb = rulebook(`events:
  utility.late: { category: utility, fields: { days: number } }
rules:
  - { id: late, on: utility.late, points: "-(fact.days)", cap: { max: 20, per: P30D }, reason: { code: U01, text: Late } }
`);

describe('a capped point in the explanation', () => {
  it('carries what the rule gave before the cap, and its words say what the cap left', () => {
    const facts = [0, 10, 12].map((d, i) => fact(`l${i}`, 'utility.late', d, { days: 15 }));
    const ex = explainPerson(rb, facts, T0 + 13 * DAY, []);
    const cs = ex.contributions.filter((c) => c.kind === 'rule');
    // -15, then 5 left of the window's 20, then nothing left.
    expect(cs.map((c) => [c.raw === 0 ? 0 : c.raw, c.uncapped])).toEqual([
      [-15, undefined],
      [-5, -15],
      [0, -15],
    ]);
    // The CLI's ledger says it under the point, as it says the rule.
    const text = explainText('ann', ex, { rb });
    expect(text.match(/capped: .*/g)).toEqual([
      'capped: the rule gave -15.00 for this fact; its cap left -5.00',
      'capped: the rule gave -15.00 for this fact; its cap left 0.00',
    ]);
  });
});

describe('credence explain through the real binary', () => {
  it('says under a capped point what its rule gave and what the cap left', () => {
    const w = makeWorld();
    try {
      const file = join(w.dir, 'late.yaml');
      writeFileSync(
        file,
        `program: late
name: Late
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers: [{ id: A, min: 0 }]
events:
  utility.late: { category: utility, fields: { days: number } }
rules:
  - { id: late, on: utility.late, points: "-(fact.days)", cap: { max: 20, per: P30D }, reason: { code: U01, text: Late } }
`,
      );
      ok(w.run(['program', 'load', file]));
      const facts = ['2026-04-01', '2026-04-11'].map((d, i) =>
        line({
          id: `l${i}`,
          source: 'water',
          type: 'utility.late',
          occurredAt: `${d}T00:00:00Z`,
          subject: { subjectId: 'bob' },
          data: { days: 15 },
        }),
      );
      ok(w.run(['ingest', '-'], { input: `${facts.join('\n')}\n` }));
      const out = ok(
        w.run(['explain', 'bob', '--program', 'late', '--as-of', '2026-04-20T00:00:00Z']),
      ).stdout;
      expect(out.match(/capped: .*/g)).toEqual([
        'capped: the rule gave -15.00 for this fact; its cap left -5.00',
      ]);
      // 1000 - 15 - 5, no decay.
      expect(out).toMatch(/score 980 /);
    } finally {
      w.dispose();
    }
  });
});
