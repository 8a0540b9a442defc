import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';
import { specialPatternHit } from './names.js';

// A rule's `matches` pattern picks out what it matches, however it is spelled. The pattern was read
// by its spelling alone (one-letter classes, optional marks and wildcards dropped), so a regex
// escape, a class of two letters, a wildcard or an alternation spelled no word and loaded:
// 'mos\x71ue', 'm[o0]sque', 'pr.test', '^m.s.u.$', '(mos|xyz)(que)' all select a place of worship
// or a protest from a free-text field.

const book = (when: string) => `program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 50 }, { id: B, min: 0 }]
events:
  pay.done: { category: payment, fields: { amount: number, comment: string } }
rules:
  - { id: r0, on: pay.done, when: ${JSON.stringify(when)}, points: -5, reason: { code: A0, text: a } }
`;

function outcome(text: string): CredenceError | undefined {
  try {
    compileRulebook(text, { file: 'p.yaml' });
    return undefined;
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
}

describe('a matches() pattern is read by what it matches', () => {
  const refused: Array<[string, string]> = [
    ["fact.comment.matches('mos\\\\x71ue')", 'religion'],
    ["fact.comment.matches('mos\\\\u0071ue')", 'religion'],
    ["fact.comment.matches('m[o0]sque')", 'religion'],
    // 'pr.test' matches "protestant" as well as "protest": the table names the faith first.
    ["fact.comment.matches('pr.test')", 'religion'],
    ["fact.comment.matches('^m.s.u.$')", 'religion'],
    ["fact.comment.matches('^(mos|xyz)(que)$')", 'religion'],
    ["fact.comment.matches('h[^a]spital')", 'health'],
    ["fact.comment.matches('s.x.l.f.')", 'sex-life'],
    ["fact.comment.matches('[宗]教')", 'religion'],
  ];
  for (const [expr, category] of refused) {
    it(`refuses ${expr}, naming the rule and what it matches`, () => {
      const e = outcome(book(expr));
      expect(e?.code, expr).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
      const d = e?.details.find((x) => x.code === 'CREDENCE_E_RULEBOOK_PROHIBITED');
      expect(d?.path).toBe('rules[0].when');
      expect(d?.reason).toMatch(/rule "r0" picks out facts by/);
      expect(d?.reason).toContain(`(${category})`);
    });
  }

  it('loads patterns that match any word, or no special one', () => {
    for (const expr of [
      "fact.comment.matches('^[A-Z]{3}-[0-9]+$')",
      "fact.comment.matches('.{5,}')",
      "fact.comment.matches('[a-z]+')",
      "fact.comment.matches('^[^0-9]*$')",
      "fact.comment.matches('refund|chargeback')",
      "fact.comment.matches('(?:cancel|return)ed')",
      "fact.comment.matches('ride[- ]?share')",
      "fact.comment.matches('[Cc]ompetition')",
      "fact.comment.matches('教.')",
      "fact.comment.matches('station')",
    ])
      expect(outcome(book(expr)), expr).toBeUndefined();
  });

  it('an invalid pattern is left to the compiler and to evaluation', () => {
    expect(specialPatternHit('(')).toBeUndefined();
  });
});

describe('a pattern in traditional characters', () => {
  it('is read as the simplified term it matches', () => {
    expect(specialPatternHit('[選]舉')?.category).toBe('political');
    expect(specialPatternHit('醫[院]')?.category).toBe('health');
  });
});
