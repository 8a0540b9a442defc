import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repeatedKey } from './json-keys.js';

describe('repeatedKey', () => {
  it('finds nothing in any JSON value written by JSON.stringify, whatever its strings hold', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(repeatedKey(text, JSON.parse(text))).toBeUndefined();
        const spaced = JSON.stringify(v, null, 2);
        expect(repeatedKey(spaced, JSON.parse(spaced))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('finds a key written twice in any object, and names where', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.string(), (o, outer) => {
        const [key] = Object.keys(o) as [string];
        const inner = JSON.stringify(o);
        const text = `{${JSON.stringify(outer)}:{${JSON.stringify(key)}:0,${inner.slice(1)}}`;
        const found = repeatedKey(text, JSON.parse(text));
        expect(found).toBeDefined();
      }),
      { numRuns: 500 },
    );
    expect(repeatedKey('{"a":{"b":1,"b":2}}', { a: { b: 2 } })).toBe('a.b');
    expect(repeatedKey('{"a":[{"b":1},{"b":2}],"a":1}', { a: 1 })).toBe('a');
  });
});
