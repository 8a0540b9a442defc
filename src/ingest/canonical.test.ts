import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sameFact } from './canonical.js';

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe(
      '{"a":[2,{"c":4,"d":3}],"b":1}',
    );
  });

  it('is the same for any key order, and parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const shuffled = JSON.parse(JSON.stringify(v, null, 1)) as unknown;
        expect(canonicalJson(shuffled)).toBe(canonicalJson(v));
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('is the plain sorted serialisation of any value: key order, undefined, nesting, odd keys and numbers', () => {
    // The obvious implementation: every object's keys sorted, every value through itself.
    const reference = (v: unknown): string => {
      if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
      if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
      const o = v as Record<string, unknown>;
      const parts = Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${reference(o[k])}`);
      return `{${parts.join(',')}}`;
    };
    const scalar = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant(undefined),
      fc.double(),
      fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 5e-324),
    );
    const key = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('asOf', 'program', 'score', 'status', 'tier', '__proto__', '10', '2'),
    );
    const value = fc.oneof(scalar, fc.dictionary(key, scalar, { maxKeys: 8 }), fc.array(scalar));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (d) => {
        expect(canonicalJson(d)).toBe(reference(d));
      }),
      { numRuns: 500 },
    );
  });

  it('tells a re-formatted fact (duplicate) from a changed one (conflict)', () => {
    const a = JSON.parse('{"id":"1","source":"s","data":{"amount":1,"b":true}}') as unknown;
    const b = JSON.parse('{ "data": { "b": true, "amount": 1 }, "source": "s", "id": "1" }') as unknown;
    const c = JSON.parse('{"id":"1","source":"s","data":{"amount":2,"b":true}}') as unknown;
    expect(sameFact(a, b)).toBe(true);
    expect(sameFact(a, c)).toBe(false);
  });

  it('takes occurredAt written in another offset for the same instant, and no other change', () => {
    const at = (occurredAt: string, amount = 1) => ({ id: '1', source: 's', occurredAt, data: { amount } });
    expect(sameFact(at('2026-03-01T10:00:00Z'), at('2026-03-01T18:00:00+08:00'))).toBe(true);
    expect(sameFact(at('2026-03-01T10:00:00Z'), at('2026-03-01T10:00:00.000+00:00'))).toBe(true);
    expect(sameFact(at('2026-03-01T10:00:00Z'), at('2026-03-01T10:00:00+08:00'))).toBe(false);
    expect(sameFact(at('2026-03-01T10:00:00Z'), at('2026-03-01T18:00:00+08:00', 2))).toBe(false);
    expect(sameFact(at('2026-03-01T10:00:00Z'), at('not a time'))).toBe(false);
  });
});
