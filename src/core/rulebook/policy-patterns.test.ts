import { describe, expect, it } from 'vitest';
import { book, outcome } from './hard-line.case.js';
import { specialPatternHit } from './names.js';

// A rule's `matches` pattern picks out what it matches, however it is spelled. The pattern was read
// by its spelling alone (one-letter classes, optional marks and wildcards dropped), so a regex
// escape, a class of two letters, a wildcard or an alternation spelled no word and loaded:
// 'mos\x71ue', 'm[o0]sque', 'pr.test', '^m.s.u.$', '(mos|xyz)(que)' all select a place of worship
// or a protest from a free-text field.

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
