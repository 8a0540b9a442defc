import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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

describe('rulebookSpecJson', () => {
  it('is the parsed YAML in JSON, and null for text that is not YAML', () => {
    expect(rulebookSpecJson('program: x\nscale: { min: 0, max: 10 }\n')).toBe(
      '{"program":"x","scale":{"min":0,"max":10}}',
    );
    expect(rulebookSpecJson('a: 1\na: 2\n')).toBeNull();
    expect(rulebookSpecJson('key: [unclosed\n')).toBeNull();
  });
});
