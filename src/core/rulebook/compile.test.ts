import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { compileRulebook } from './compile.js';

const design = readFileSync(new URL('./fixtures/design-example.yaml', import.meta.url), 'utf8');

function refusal(text: string): CredenceError {
  try {
    compileRulebook(text, { file: 'r.yaml' });
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
  throw new Error('expected the rulebook to be refused');
}

const head = `program: x
name: X
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 50 }, { id: B, min: 0 }]
dimensions: [money]
`;

describe('compileRulebook', () => {
  // The parser stops expanding aliases past a limit with a plain Error, which reached the CLI as
  // an uncoded message and the API as a 500.
  it('refuses a YAML alias bomb as invalid YAML, not an internal error', () => {
    let bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++) {
      const [n, p] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      bomb += `${n}: &${n} [${Array(9).fill(`*${p}`).join(', ')}]\n`;
    }
    const e = refusal(bomb);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_INVALID');
    expect(e.details[0]?.reason).toMatch(/^YAML: .*alias/i);
  });

  it('loads the DESIGN.md example with every section', () => {
    const rb = compileRulebook(design, { file: 'design.yaml' });
    expect(rb.program).toBe('city-civic');
    expect(rb.rules.map((r) => r.id)).toEqual(['unpaid-judgment', 'payment']);
    expect(rb.rules[1]?.cap).toMatchObject({ max: 20, perMs: 30 * 86_400_000 });
    expect(rb.rules[0]?.decay).toMatchObject({ kind: 'expires', ms: 3 * 365 * 86_400_000 });
    expect(rb.inactivity[0]).toMatchObject({
      afterMs: 180 * 86_400_000,
      everyMs: 30 * 86_400_000,
      limit: -50,
    });
    expect(rb.events['court.judgment_unpaid']?.retainMs).toBe(5 * 365 * 86_400_000);
    expect(rb.restrictions[0]?.legalBasis).toMatch(/consumption-restriction/);
    expect(rb.rules[1]?.points({ amount: 100 })).toBe(2);
    expect(rb.rules[1]?.points({ amount: 99.5 })).toBe(1);
    expect(rb.rules[0]?.when?.({ amount: 0 })).toBe(false);
  });

  it('reports every problem at once with file, line, path and reason', () => {
    const e = refusal(`${head}events:
  pay.done: { category: payment, fields: { amount: number } }
rules:
  - { id: r1, on: pay.gone, points: 1, reason: { code: A, text: a } }
  - { id: r2, on: pay.done, points: 1, dimension: nowhere, reason: { code: A, text: a } }
  - { id: r3, on: pay.done, points: 1, reason: { code: A, text: a }, decay: { expires: P3Q } }
`);
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_INVALID');
    const paths = e.details.map((d) => d.path);
    expect(paths).toContain('rules[2].decay.expires');
    for (const d of e.details) expect(d.file).toBe('r.yaml');
    const decay = e.details.find((d) => d.path === 'rules[2].decay.expires');
    expect(decay?.line).toBe(12);
    expect(decay?.reason).toMatch(/^"P3Q" is not an ISO 8601 duration/);
  });

  it('reports reference errors together', () => {
    const e = refusal(`${head}events:
  pay.done: { category: payment, fields: { amount: number } }
rules:
  - { id: r1, on: pay.gone, points: 1, reason: { code: A, text: a } }
  - { id: r2, on: pay.done, points: 1, dimension: nowhere, reason: { code: A, text: a } }
  - { id: r2, on: pay.done, points: 2, reason: { code: A, text: a } }
`);
    const byPath = Object.fromEntries(e.details.map((d) => [d.path, d]));
    expect(byPath['rules[0].on']?.reason).toMatch(/"pay.gone" is not declared/);
    expect(byPath['rules[0].on']?.line).toBe(10);
    expect(byPath['rules[1].dimension']?.reason).toMatch(/"nowhere" is not declared/);
    expect(byPath['rules[2].id']?.reason).toMatch(/"r2" is used twice in rules \(first at rules\[1\]\.id\)/);
    expect(byPath['rules[2].id']?.line).toBe(12);
  });

  it('makes CEL type errors load errors: unknown field, string compared with number, non-bool when', () => {
    const e = refusal(`${head}events:
  pay.done: { category: payment, fields: { amount: number, shop: string } }
rules:
  - { id: r1, on: pay.done, when: "fact.amonut > 1.0", points: 1, reason: { code: A, text: a } }
  - { id: r2, on: pay.done, when: "fact.shop > 1.0", points: 1, reason: { code: A, text: a } }
  - { id: r3, on: pay.done, when: "fact.amount", points: 1, reason: { code: A, text: a } }
  - { id: r4, on: pay.done, points: "fact.shop", reason: { code: A, text: a } }
  - { id: r5, on: pay.done, points: "fact.amount >", reason: { code: A, text: a } }
`);
    expect(e.code).toBe('CREDENCE_E_CEL');
    const reasons = Object.fromEntries(e.details.map((d) => [d.path, d.reason]));
    expect(reasons['rules[0].when']).toMatch(/amonut/);
    expect(reasons['rules[1].when']).toMatch(/string > double/);
    expect(reasons['rules[2].when']).toMatch(/has type double, expected bool/);
    expect(reasons['rules[3].points']).toMatch(/has type string/);
    expect(reasons['rules[4].points']).toMatch(/does not parse/);
  });

  it('refuses expressions that read fact other than by a declared field (has(), computed keys, dyn)', () => {
    // Each of these type-checked and loaded, then refused every fact it met at scoring ("No such
    // key"), or read nothing and named a field the event type does not declare.
    const e = refusal(`${head}events:
  pay.done: { category: payment, fields: { amount: number, shop: string } }
rules:
  - { id: r1, on: pay.done, when: "has(fact.sect)", points: 1, reason: { code: A, text: a } }
  - { id: r2, on: pay.done, when: "fact['sh' + 'op'] == 'x'", points: 1, reason: { code: A, text: a } }
  - { id: r3, on: pay.done, when: "dyn(fact).sect == 'x'", points: 1, reason: { code: A, text: a } }
  - { id: r4, on: pay.done, points: "[fact][0].amount", reason: { code: A, text: a } }
  - { id: r5, on: pay.done, when: "has(fact.shop) && fact['amount'] > 1.0", points: 1, reason: { code: A, text: a } }
`);
    expect(e.code).toBe('CREDENCE_E_CEL');
    const reasons = Object.fromEntries(e.details.map((d) => [d.path, d.reason]));
    expect(Object.keys(reasons)).toEqual([
      'rules[0].when',
      'rules[1].when',
      'rules[2].when',
      'rules[3].points',
    ]);
    expect(reasons['rules[0].when']).toMatch(/reads fact\.sect, which pay\.done does not declare/);
    expect(reasons['rules[1].when']).toMatch(/computed key/);
    expect(reasons['rules[2].when']).toMatch(/fact as a whole/);
    expect(reasons['rules[3].points']).toMatch(/fact as a whole/);
  });

  it('refuses tiers that are not highest first or leave scores without a tier', () => {
    const e = refusal(`program: x
name: X
enrollment: opt-in
scale: { min: 0, max: 100, base: 150 }
tiers: [{ id: A, min: 10 }, { id: B, min: 20 }]
events: {}
`);
    const paths = e.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['scale', 'tiers[1].min']));
  });

  it('reports YAML syntax errors with their line', () => {
    const e = refusal('program: x\nname: [unclosed\n');
    expect(e.code).toBe('CREDENCE_E_RULEBOOK_INVALID');
    expect(e.details[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses unknown keys and wrong types, naming the path', () => {
    const e = refusal(`${head}events:
  pay.done: { category: payment, fields: { amount: money } }
rules:
  - { id: r1, on: pay.done, points: 1, reason: { code: A, text: a }, bonus: 3 }
minFacts: many
`);
    const paths = e.details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(["events['pay.done'].fields.amount", 'rules[0].bonus', 'minFacts']),
    );
  });

  it('refuses declaring reserved consent types', () => {
    const e = refusal(`${head}events:
  credence.opt_in: { category: identity }
`);
    expect(e.details[0]?.reason).toMatch(/reserved/);
  });
});

describe('compileStoredRulebook', () => {
  it('compiles a stored version to what compileRulebook gives, and still holds the hard line', async () => {
    const { compileStoredRulebook } = await import('./compile-stored.js');
    const a = compileRulebook(design, { file: 'd', version: 3 });
    const b = compileStoredRulebook(design, { file: 'd', version: 3 });
    // Functions and syntax trees aside (they are rebuilt), everything compiled must be equal.
    const shape = (rb: typeof a) =>
      JSON.stringify({ ...rb, rulesByType: [...rb.rulesByType.keys()] }, (k, v) =>
        k === 'ast' ? undefined : typeof v === 'bigint' ? String(v) : v,
      );
    expect(shape(b)).toBe(shape(a));
    expect(() => compileStoredRulebook(design.replace('court.judgment_unpaid', 'protest.attended'))).toThrow(
      expect.objectContaining({ code: 'CREDENCE_E_RULEBOOK_PROHIBITED' }),
    );
  });
});
