import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';
import { valueFindings } from './policy-values.js';

// A rule could look for a special-category word the furnisher sends in another field:
// `fact.comment.contains(fact.tag)` has no quoted string for the word lists to read.

const ROOT = resolve(import.meta.dirname, '../../..');

const book = (rules: Array<{ when?: string; points?: string }>) => `program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 50 }, { id: B, min: 0 }]
events:
  pay.done: { category: payment, fields: { amount: number, comment: string, tag: string, pattern: string, key: string, ok: boolean } }
rules:
${rules
  .map(
    (r, i) =>
      `  - { id: r${i}, on: pay.done, ${r.when !== undefined ? `when: ${JSON.stringify(r.when)}, ` : ''}points: ${r.points !== undefined ? JSON.stringify(r.points) : 1}, reason: { code: A${i}, text: a } }`,
  )
  .join('\n')}
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

// Each shape of the gap, with what the refusal must name.
const REFUSED: Array<[string, RegExp]> = [
  ['fact.comment.contains(fact.tag)', /searches text for fact\.tag, a value/],
  ['fact.comment.matches(fact.pattern)', /searches text for fact\.pattern/],
  ['matches(fact.comment, fact.pattern)', /searches text for fact\.pattern/],
  ['fact.comment.startsWith(fact.tag)', /searches text for fact\.tag/],
  ['fact.comment.endsWith(fact.tag + "s")', /searches text for fact\.tag \+ "s"/],
  ["fact.comment.contains('pro' + fact.tag)", /searches text for 'pro' \+ fact\.tag/],
  ['fact.comment.contains(fact.tag.lowerAscii())', /searches text for fact\.tag\.lowerAscii\(\)/],
  ['fact.comment.indexOf(fact.tag) >= 0', /searches text for fact\.tag/],
  ['size(fact.comment.split(fact.tag)) > 1', /searches text for fact\.tag/],
  ["fact.comment.replace(fact.tag, '') != fact.comment", /searches text for fact\.tag/],
  ["fact[fact.key] == 'x'", /selects by fact\.key, a value/],
  ['has(fact[fact.key])', /selects by fact\.key/],
  ['dyn(fact.comment)[fact.tag] == 1.0', /selects by fact\.tag/],
  ['fact.tag in dyn(fact.comment)', /looks a value up in dyn\(fact\.comment\)/],
  ["'x' in [fact.tag, fact.comment]", /looks a value up in \[fact\.tag, fact\.comment\]/],
  [
    '[fact.tag].exists(t, fact.comment.contains(t))',
    /searches text for t, a value.*at fact\.comment\.contains\(t\)/,
  ],
  ['cel.bind(t, fact.tag, fact.comment.contains(t))', /searches text for t, a value/],
  // Two texts compared, neither written in the rule: a word search once the text is split, a
  // prefix search by ordering.
  [
    "fact.comment.split(' ').exists(w, w == fact.tag)",
    /compares text with fact\.tag, a value.*at w == fact\.tag/,
  ],
  ["fact.comment.split(' ')[0] != fact.tag", /compares text with fact\.tag/],
  [
    "fact.comment >= fact.tag && fact.comment < fact.tag + 'zz'",
    /compares text with fact\.tag, a value.*at fact\.comment >= fact\.tag/,
  ],
  ['fact.comment == fact.tag', /compares text with fact\.tag/],
];

// Words built from written pieces: past what the quoted-string reading joins (four pieces), and
// lists joined into a word.
const BUILT: Array<[string, RegExp]> = [
  [
    "fact.comment == 'p' + 'r' + 'o' + 't' + 'e' + 's' + 't'",
    /picks out facts by "protest" \(built from pieces/,
  ],
  ["fact.comment.contains(['mos', 'q', 'u', 'e'].join())", /picks out facts by "mosque"/],
  ["fact.comment.contains(['pr', 'ot', 'es', 't'].join('').upperAscii())", /picks out facts by "protest"/],
];

// Ordinary rules, and text matching whose every word is written in the rule.
const ACCEPTED = [
  'fact.amount > 100.0',
  'fact.amount >= 10.0 && fact.ok',
  "fact.tag == 'x'",
  "fact.tag in ['refund', 'chargeback']",
  "fact.comment.contains('refund')",
  "fact.comment.lowerAscii().startsWith('ref') || fact.comment.endsWith('back')",
  "fact.comment.matches('^INV-[0-9]+$')",
  "['refund', 'chargeback'].exists(w, fact.comment.contains(w))",
  "cel.bind(w, 'refund', fact.comment.contains(w))",
  "{'gold': true, 'silver': false}[fact.tag]",
  "fact.comment.contains(fact.ok ? 'late' : 'early')",
  "size(fact.comment) > 3 && has(fact.tag) && fact['amount'] > 1.0",
  // Two values compared, neither of them text.
  'fact.amount >= fact.amount * 2.0',
  'size(fact.comment) > size(fact.tag)',
  "fact.comment.split(' ').exists(w, w == 'refund')",
];

describe('the hard line: what a rule looks for is written in the rule', () => {
  it.each(REFUSED)('refuses %s, naming the rule, the expression and why', (when, why) => {
    const e = outcome(book([{ when: 'fact.amount > 0.0' }, { when }]));
    expect(e?.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    const d = e?.details.find((x) => x.path === 'rules[1].when');
    expect(d?.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(d?.reason).toContain('rule "r1"');
    expect(d?.reason).toContain(`"${when}"`);
    expect(d?.reason).toMatch(why);
    expect(d?.line).toBe(10);
    expect(e?.details.filter((x) => x.path === 'rules[0].when')).toEqual([]);
  });

  it.each(BUILT)('refuses %s, reading the word it builds', (when, why) => {
    const e = outcome(book([{ when }]));
    expect(e?.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
    expect(e?.details.map((d) => d.path)).toEqual(['rules[0].when']);
    expect(e?.details[0]?.reason).toMatch(why);
  });

  it('reads points as it reads when', () => {
    const e = outcome(book([{ points: 'fact.comment.contains(fact.tag) ? -5 : 0' }]));
    expect(e?.details.map((d) => [d.path, d.code])).toEqual([
      ['rules[0].points', 'CREDENCE_E_RULEBOOK_PROHIBITED'],
    ]);
  });

  it.each(ACCEPTED)('accepts %s', (when) => {
    expect(outcome(book([{ when }]))).toBeUndefined();
  });

  it('refuses every text search for a value and accepts the same search for a written word (property)', () => {
    const field = fc.constantFrom('comment', 'tag', 'pattern', 'key');
    const fn = fc.constantFrom('contains', 'startsWith', 'endsWith', 'matches');
    // Neutral words of the word lists' alphabet: none names a special category.
    const word = fc.constantFrom('refund', 'late', 'invoice', 'gold', 'order', 'parcel');
    fc.assert(
      fc.property(field, field, fn, word, (a, b, f, w) => {
        const byValue = `fact.${a}.${f}(fact.${b})`;
        const e = outcome(book([{ when: byValue }]));
        expect(e?.code).toBe('CREDENCE_E_RULEBOOK_PROHIBITED');
        expect(e?.details[0]?.reason).toContain(`searches text for fact.${b}`);
        expect(outcome(book([{ when: `fact.${a}.${f}('${w}')` }]))).toBeUndefined();
        // The same word carried by an iteration variable over a written list is still written.
        expect(outcome(book([{ when: `['${w}'].exists(x, fact.${a}.${f}(x))` }]))).toBeUndefined();
        expect(outcome(book([{ when: `[fact.${b}].exists(x, fact.${a}.${f}(x))` }]))?.code).toBe(
          'CREDENCE_E_RULEBOOK_PROHIBITED',
        );
      }),
      { numRuns: 60 },
    );
  });

  it('finds nothing in an expression that does not parse (the compiler says why)', () => {
    expect(valueFindings('fact.comment.contains(')).toEqual([]);
  });

  it('keeps every shipped example program and the documented rule loading', () => {
    const dir = join(ROOT, 'examples/programs');
    const files = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(() => compileRulebook(readFileSync(join(dir, f), 'utf8'), { file: f })).not.toThrow();
    }
    // Every quoted CEL expression of docs/rulebook.md's rules over a fact.
    const doc = readFileSync(join(ROOT, 'docs/rulebook.md'), 'utf8');
    const exprs = [...doc.matchAll(/(?:when|points): "((?:[^"\\]|\\.)*fact\.(?:[^"\\]|\\.)*)"/g)].map(
      (m) => m[1] ?? '',
    );
    expect(exprs.length).toBeGreaterThan(0);
    for (const x of exprs) expect(valueFindings(x).filter((f) => f.kind !== 'built')).toEqual([]);
  });
});
