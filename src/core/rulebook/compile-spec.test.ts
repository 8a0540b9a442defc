import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldValue, ScoringFact } from '../facts/fact.js';
import { explainPerson, scorePerson } from '../scoring/index.js';
import { DAY, fact, T0 } from '../testing/builders.js';
import { compileRulebook } from './compile.js';
import { compileRulebookSpec } from './compile-spec.js';
import { rulebookSpecJson } from './spec-json.js';
import type { CompiledRulebook } from './types.js';

const design = readFileSync(new URL('./fixtures/design-example.yaml', import.meta.url), 'utf8');
const examples = new URL('../../../examples/programs/', import.meta.url);
const sources: [string, string][] = [
  ['design-example.yaml', design],
  ...readdirSync(examples)
    .filter((f) => f.endsWith('.yaml'))
    .map((f): [string, string] => [f, readFileSync(new URL(f, examples), 'utf8')]),
];

// Functions and syntax trees aside (they are rebuilt), everything compiled must be equal.
const shape = (rb: CompiledRulebook): string =>
  JSON.stringify({ ...rb, rulesByType: [...rb.rulesByType.keys()] }, (k, v) =>
    k === 'ast' ? undefined : typeof v === 'bigint' ? String(v) : v,
  );

describe('compileRulebookSpec', () => {
  it.each(sources)('compiles %s from its stored spec to what compileRulebook gives', (file, text) => {
    const spec = rulebookSpecJson(text);
    expect(spec).not.toBeNull();
    const a = compileRulebook(text, { file, version: 2, effectiveFrom: 7 });
    const b = compileRulebookSpec(JSON.parse(spec as string), text, { file, version: 2, effectiveFrom: 7 });
    expect(shape(b)).toBe(shape(a));
    expect(b.source).toBe(text);
  });

  it('still holds the hard line: a spec that would score special-category data is refused', () => {
    const spec = JSON.parse(
      rulebookSpecJson(design.replace('court.judgment_unpaid', 'protest.attended')) as string,
    );
    expect(() => compileRulebookSpec(spec, '', { file: 'city-civic v2' })).toThrow(
      expect.objectContaining({ code: 'CREDENCE_E_RULEBOOK_PROHIBITED' }),
    );
  });
});

describe('compileRulebookSpec: each rule compiles its CEL when it first meets a fact', () => {
  const AS_OF = T0 + 400 * DAY;
  const value = (t: string): fc.Arbitrary<FieldValue> =>
    t === 'number'
      ? fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(0.5, 10, 99.5, 200, 1000, 10_000, 20_000))
      : t === 'boolean'
        ? fc.boolean()
        : fc.constantFrom('a', 'illegal-fundraising', 'pyramid-selling', 'counterfeit-goods', 'x1');
  const factsOf = (rb: CompiledRulebook): fc.Arbitrary<ScoringFact[]> => {
    const arbFact = fc
      .constantFrom(...Object.values(rb.events))
      .chain((def) =>
        fc
          .tuple(
            fc.integer({ min: 0, max: 400 }),
            fc.record(Object.fromEntries(Object.entries(def.fields).map(([k, t]) => [k, value(t)]))),
          )
          .map(([days, data]) => ({ type: def.name, days, data })),
      );
    return fc
      .array(arbFact, { maxLength: 12 })
      .map((xs) => xs.map((x, i) => fact(`f${i}`, x.type, x.days, x.data)));
  };

  it.each(sources)('scores and explains %s exactly as the eagerly compiled rulebook does', (file, text) => {
    const eager = compileRulebook(text, { file });
    const lazy = compileRulebookSpec(JSON.parse(rulebookSpecJson(text) as string), text, { file });
    fc.assert(
      fc.property(factsOf(eager), (facts) => {
        expect(scorePerson(lazy, facts, AS_OF, [])).toEqual(scorePerson(eager, facts, AS_OF, []));
        const a = explainPerson(eager, facts, AS_OF, []);
        const b = explainPerson(lazy, facts, AS_OF, []);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 150 },
    );
  });

  it('compiles a rule only when needed: program load refuses a bad expression, a stored spec throws on first use', () => {
    const [file, text] = sources.find(([f]) => f === 'marketplace.yaml') as [string, string];
    const bad = text.replace('when: "fact.amount >= 10.0"', `when: "fact.amount >= 'ten'"`);
    expect(bad).not.toBe(text);
    // `credence program load` compiles with compileRulebook: every expression, at once.
    expect(() => compileRulebook(bad, { file })).toThrow(expect.objectContaining({ code: 'CREDENCE_E_CEL' }));
    const spec = JSON.parse(rulebookSpecJson(bad) as string);
    expect(() => compileRulebookSpec(spec, bad, { file, lazyRules: false })).toThrow(
      expect.objectContaining({ code: 'CREDENCE_E_CEL' }),
    );
    // Stored: compiled without the rule's CEL; a person whose facts never reach it is scored.
    const rb = compileRulebookSpec(spec, bad, { file: 'marketplace v1' });
    const rides = [1, 2, 3].map((d) => fact(`r${d}`, 'ride.completed', d, { amount: 12 }));
    expect(scorePerson(rb, rides, AS_OF, []).status).toBe('scored');
    // The first wallet payment evaluates the rule: refused, naming it.
    const pay = fact('p1', 'payment.completed', 4, { amount: 20 });
    expect(() => scorePerson(rb, [...rides, pay], AS_OF, [])).toThrow(
      expect.objectContaining({
        code: 'CREDENCE_E_CEL',
        details: [expect.objectContaining({ path: 'rules[0].when', file: 'marketplace v1' })],
      }),
    );
  });
});

describe('rulebookSpecJson', () => {
  it('is the parsed YAML in JSON, and null for text that is not YAML', () => {
    expect(rulebookSpecJson('program: x\nscale: { min: 0, max: 10 }\n')).toBe(
      '{"program":"x","scale":{"min":0,"max":10}}',
    );
    expect(rulebookSpecJson('a: 1\na: 2\n')).toBeNull();
    expect(rulebookSpecJson('key: [unclosed\n')).toBeNull();
  });
});

// A version stored before the flag-retention check (a removal kept less long than the listing it
// lifts) compiled as stored versions do, without the check: once the removal was past retention,
// the listing flagged the person again, from data deleted. Now it is refused, naming the version
// and the flag, as `credence program load` refuses such a file.
describe('a stored version whose flag removal is kept less long than the listing', () => {
  const text = design
    .replace(
      'court.blacklist_listed: { category: legal, fields: { court: string, case: string } }',
      'court.blacklist_listed: { category: legal, fields: { court: string, case: string }, retain: P5Y }',
    )
    .replace(
      'court.blacklist_removed: { category: legal, fields: { court: string, case: string } }',
      'court.blacklist_removed: { category: legal, fields: { court: string, case: string }, retain: P1Y }',
    );

  it('is refused when compiled from the store, naming the version and the flag', () => {
    expect(text).toContain('retain: P1Y');
    expect(() => compileRulebook(text, { file: 'city.yaml' })).toThrow(
      expect.objectContaining({ code: 'CREDENCE_E_RULEBOOK_INVALID' }),
    );
    const spec = JSON.parse(rulebookSpecJson(text) as string);
    let thrown: unknown;
    try {
      compileRulebookSpec(spec, text, { file: 'city-civic v2', version: 2 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({
      code: 'CREDENCE_E_RULEBOOK_INVALID',
      message: expect.stringContaining('city-civic v2'),
      details: [
        expect.objectContaining({
          file: 'city-civic v2',
          path: 'flags[0].clear',
          reason: expect.stringMatching(
            /^flag "dishonest-debtor" of this stored version: "court\.blacklist_removed" is kept P1Y, less than "court\.blacklist_listed" \(P5Y\)/,
          ),
        }),
      ],
    });
  });
});
