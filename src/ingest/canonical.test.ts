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

  it('tells a re-formatted fact (duplicate) from a changed one (conflict)', () => {
    const a = JSON.parse('{"id":"1","source":"s","data":{"amount":1,"b":true}}') as unknown;
    const b = JSON.parse('{ "data": { "b": true, "amount": 1 }, "source": "s", "id": "1" }') as unknown;
    const c = JSON.parse('{"id":"1","source":"s","data":{"amount":2,"b":true}}') as unknown;
    expect(sameFact(a, b)).toBe(true);
    expect(sameFact(a, c)).toBe(false);
  });
});
