import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isMappingSource } from './mapping-check.js';
import { MappingSchema, SOURCE_KINDS } from './mapping-schema.js';

const schema = Compile(MappingSchema);
const dir = new URL('../../../examples/sources/', import.meta.url);
const shipped: unknown[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(new URL(f, dir), 'utf8')));

type Path = (string | number)[];

function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => void paths(x, [...at, i], out));
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

// Values a mutation may put anywhere: near misses of what the schema asks (an empty string, two
// characters where one is allowed, one code point in two UTF-16 units, a number out of range,
// YAML's .nan and .inf), key names the schema knows, and any JSON.
const knownKeys = [
  ...['source', 'kind', 'description', 'format', 'types', 'skip', 'subject', 'data', 'events', 'register'],
  ...['grid', 'delimiter', 'timeZone', 'column', 'const', 'type', 'values', 'optional', 'id', 'at'],
  ...['dataByType', 'key', 'mode', 'listed', 'updated', 'removed', 'deletion', 'asOf', 'action'],
  ...['listing', 'update', 'removal', 'removalData', 'lastMonth', 'amount', 'day', 'normal', 'overdue'],
  ...['settled', 'defaulted', 'maxRemovalShare'],
];
const nearMisses: unknown[] = [
  ...['', 'x', ';;', '😀', '+08:00', '8:00', 'Z', 'delta', 'csv', 'court', 'number', 0, 1, 28, 29, 1.5],
  ...[Number.NaN, Number.POSITIVE_INFINITY, true, null, [], {}, [''], ['a'], { column: 'c' }, { const: 1 }],
  ...[0.25, -0.5, 1.0000001],
];
const value = fc.oneof(
  fc.constantFrom(...nearMisses),
  fc.dictionary(fc.constantFrom(...knownKeys), fc.constantFrom('c', '', 1, ['c'], true)),
  fc.jsonValue({ maxDepth: 2 }),
);
const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom('set', 'delete', 'add'),
  key: fc.constantFrom('colour', ...knownKeys),
  value,
});

type Mutation = { pick: number; kind: 'set' | 'delete' | 'add'; key: string; value: unknown };

function mutate(base: unknown, ms: readonly Mutation[]): unknown {
  const v = structuredClone(base) as Record<string | number, unknown>;
  for (const m of ms) {
    const ps = paths(v);
    const p = ps[m.pick % ps.length] as Path;
    const parent = p.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v) as
      | Record<string | number, unknown>
      | undefined;
    const last = p[p.length - 1];
    if (m.kind === 'add') {
      const target = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v);
      if (typeof target === 'object' && target !== null && !Array.isArray(target))
        (target as Record<string, unknown>)[m.key] = structuredClone(m.value);
    } else if (parent && last !== undefined) {
      if (m.kind === 'set') parent[last] = structuredClone(m.value);
      else if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    }
  }
  return v;
}

describe('isMappingSource (the quick check beside MappingSchema)', () => {
  it('passes every shipped mapping, so a valid mapping never loads TypeBox', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(6);
    for (const m of shipped) expect(isMappingSource(m)).toBe(true);
  });

  it('knows every source kind the schema knows', () => {
    for (const kind of SOURCE_KINDS) {
      expect(isMappingSource({ ...(shipped[0] as object), kind })).toBe(
        schema.Check({ ...(shipped[0] as object), kind }),
      );
    }
  });

  it('agrees with the schema on every single edit of a shipped mapping by a near miss', () => {
    let refused = 0;
    for (const base of shipped) {
      const all = paths(base);
      for (let pick = 0; pick < all.length; pick++) {
        const at = (all[pick] as Path).reduce<unknown>(
          (o, k) => (o as Record<string | number, unknown>)[k],
          base,
        );
        const isObj = typeof at === 'object' && at !== null && !Array.isArray(at);
        for (const value of nearMisses) {
          const edits: Mutation[] = [
            { pick, kind: 'set', key: '', value },
            ...(isObj ? knownKeys.map((key): Mutation => ({ pick, kind: 'add', key, value })) : []),
          ];
          for (const e of edits) {
            const v = mutate(base, [e]);
            const expected = schema.Check(v);
            if (!expected) refused++;
            if (isMappingSource(v) !== expected)
              expect.fail(`${JSON.stringify(e)}: the schema says ${expected}`);
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it('agrees with the schema on mutated mappings (never passes what the schema refuses)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, ms) => {
        const v = mutate(shipped[which % shipped.length], ms);
        expect(isMappingSource(v)).toBe(schema.Check(v));
      }),
      { numRuns: 2000 },
    );
  });
});
