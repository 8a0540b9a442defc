import fc from 'fast-check';
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

describe('every problem in one run, whatever the mix (property)', () => {
  const base = `program: mix
name: Mix
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers: [{ id: A, min: 0 }]
dimensions: [civic]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
  - id: r0
    on: shop.buy
    points: 1
    reason: { code: A, text: a }
  - id: r1
    on: shop.buy
    points: 2
    reason: { code: B, text: b }
`;
  // Each mistake an operator makes, and whether the schema (first pass) or the later checks find it.
  const mistakes = [
    {
      schema: true,
      edit: (t: string) => t.replace('    points: 1\n', '    points: 1\n    dimensoin: civic\n'),
    },
    { schema: true, edit: (t: string) => t.replace('name: Mix\n', 'name: Mix\ncolour: red\n') },
    {
      schema: true,
      edit: (t: string) => t.replace('    points: 2\n', '    points: 2\n    cap: { max: -5, per: P1D }\n'),
    },
    {
      schema: true,
      edit: (t: string) => t.replace('dimensions: [civic]\n', 'dimensions: [civic]\nminFacts: -2\n'),
    },
    {
      schema: false,
      edit: (t: string) => t.replace('    on: shop.buy\n    points: 2', '    on: shop.sell\n    points: 2'),
    },
    { schema: false, edit: (t: string) => t.replace('max: 2000', 'max: 500') },
    { schema: false, edit: (t: string) => t.replace('  - id: r1', '  - id: r0') },
    {
      schema: false,
      edit: (t: string) => t.replace('    points: 1\n', '    points: 1\n    when: "fact.amont > 0.0"\n'),
    },
  ];
  const paths = (chosen: readonly number[]): string[] => {
    let t = base;
    for (const i of chosen) t = (mistakes[i] as (typeof mistakes)[number]).edit(t);
    if (chosen.length === 0) {
      compileRulebook(t, { file: 'mix.yaml' });
      return [];
    }
    return details(t)
      .map((d) => `${d.path}@${d.line}`)
      .sort();
  };

  it('a file with mistakes of both kinds is told exactly what each kind alone would tell', () => {
    fc.assert(
      fc.property(fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]), (chosen) => {
        const schemaOnes = chosen.filter((i) => mistakes[i]?.schema);
        const laterOnes = chosen.filter((i) => !mistakes[i]?.schema);
        // Lines move with what is inserted, so each kind is checked in the full file's text:
        // the union of the paths, and every problem placed.
        const all = paths(chosen);
        const bare = (ps: string[]) => ps.map((p) => p.split('@')[0]).sort();
        const expected = [...bare(paths(schemaOnes)), ...bare(paths(laterOnes))].sort();
        expect(bare(all)).toEqual(expected);
        expect(all.every((p) => !p.endsWith('@undefined'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a problem is told once', () => {
  it('a key field missing from a flag whose clear type is its set type is not listed twice', () => {
    const flagged = `program: f
name: F
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  court.listed: { category: legal, fields: { court: string } }
flags:
  - { id: debtor, set: court.listed, clear: court.listed, key: [docket], reason: { code: L, text: l } }
`;
    const ds = details(flagged).map((d) => `${d.path}: ${d.reason}`);
    expect(ds.filter((d) => d.startsWith('flags[0].key[0]'))).toHaveLength(1);
    expect(new Set(ds).size).toBe(ds.length);
  });
});
