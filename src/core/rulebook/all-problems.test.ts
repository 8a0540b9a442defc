import { describe, expect, it } from 'vitest';
import { CredenceError, type ErrorDetail, formatDetail } from '../errors/index.js';
import { compileRulebook } from './compile.js';

// An operator fixing a rulebook should see every problem of the file in one run. A misspelt key
// (`dimensoin:`) is a schema problem; before, it hid every semantic one (an undeclared event, a
// CEL that does not compile, min > max, a duplicate id) until it was fixed and the file loaded
// again. A key the format does not know is ignored by every later check, so the file with it
// left out can be checked in full and both kinds told at once.

const text = `program: muni
name: Muni
enrollment: opt-out
scale: { min: 0, max: -5, base: 1000 }
tiers: [{ id: A, min: 0 }]
dimensions: [civic]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
  - id: r
    on: shop.buy
    dimensoin: civic
    points: 1
    reason: { code: A, text: a }
  - { id: r, on: shop.buyy, points: "one", reason: { code: B, text: b } }
`;

function details(src: string): ErrorDetail[] {
  try {
    compileRulebook(src, { file: 'muni.yaml' });
  } catch (e) {
    if (e instanceof CredenceError) return [...e.details];
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('a rulebook with schema and semantic problems', () => {
  it('is told every problem of both kinds in one run, each at its line', () => {
    const got = details(text).map((d) => [d.path, d.line, d.code]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['rules[0].dimensoin', 12, 'CREDENCE_E_RULEBOOK_INVALID'],
        ['scale', 4, 'CREDENCE_E_RULEBOOK_INVALID'],
        ['rules[1].id', 15, 'CREDENCE_E_RULEBOOK_INVALID'],
        ['rules[1].on', 15, 'CREDENCE_E_RULEBOOK_INVALID'],
      ]),
    );
  });

  it('still tells only the schema problems when the file cannot be read without them', () => {
    // A required key missing: what the later checks would say depends on a value not there.
    const missing = text.replace('    points: 1\n', '');
    const paths = details(missing).map((d) => d.path);
    expect(paths).toContain('rules[0].points');
    expect(paths).not.toContain('scale');
  });

  it('a file whose only problem is an unknown key is refused for it alone', () => {
    const ok = text
      .replace('max: -5', 'max: 2000')
      .replace('- { id: r, on: shop.buyy, points: "one", reason: { code: B, text: b } }', '')
      .replace('rules:\n', 'rules:\n');
    expect(details(ok).map((d) => d.path)).toEqual(['rules[0].dimensoin']);
  });
});

describe('a bad value of an optional key no later check reads', () => {
  it('is told with the semantic problems of the file in one run', () => {
    const bad = text
      .replace('    dimensoin: civic\n', '    cap: { max: -20, per: P30D }\n    decay: { expires: 3 }\n')
      .replace('dimensions: [civic]\n', 'dimensions: [civic]\nminFacts: -1\n');
    const paths = details(bad).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'minFacts',
        'rules[0].cap.max',
        'rules[0].decay.expires',
        'scale',
        'rules[1].id',
        'rules[1].on',
      ]),
    );
  });

  it('a bad type where later checks read the value (an event field) still stops the run there', () => {
    const bad = text.replace('fields: { amount: number }', 'fields: { amount: numbr }');
    const paths = details(bad).map((d) => d.path);
    expect(paths).toContain("events['shop.buy'].fields.amount");
    expect(paths).not.toContain('scale');
  });
});

describe('where a problem is', () => {
  it('gives the column as well as the line, so two problems on one line are told apart', () => {
    const ds = details(text);
    const row = text.split('\n')[14] as string; // line 15: the flow-style rule
    const id = ds.find((d) => d.path === 'rules[1].id');
    const on = ds.find((d) => d.path === 'rules[1].on');
    expect([id?.line, id?.column]).toEqual([15, row.indexOf('id:') + 1]);
    expect([on?.line, on?.column]).toEqual([15, row.indexOf('on:') + 1]);
    expect(formatDetail(on as ErrorDetail)).toMatch(
      new RegExp(`^muni\\.yaml:15:${row.indexOf('on:') + 1} rules\\[1\\]\\.on: `),
    );
  });
});
