import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOf } from './score.js';

describe("the score answer's asOf text", () => {
  it('is exactly Date#toISOString, at any instant Date can show, in any order of calls', () => {
    const instant = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2100-01-01') }),
      // Around midnights and the ends of seconds, minutes, hours.
      fc
        .tuple(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: -2, max: 2 }))
        .map(([d, k]) => d * 86_400_000 + k),
      fc.constantFrom(0, -1, 1, 8.64e15, -8.64e15, 253402300799999, 253402300800000, -62167219200001),
    );
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 8 }), (xs) => {
        for (const x of xs) expect(isoOf(x)).toBe(new Date(x).toISOString());
      }),
      { numRuns: 3000 },
    );
  });

  it('throws as Date does outside its range, and rounds as Date does between milliseconds', () => {
    for (const x of [8.64e15 + 1, -8.64e15 - 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => isoOf(x)).toThrow(RangeError);
    }
    for (const x of [0.5, -0.5, 1_700_000_000_000.7, -1.25]) expect(isoOf(x)).toBe(new Date(x).toISOString());
  });
});
