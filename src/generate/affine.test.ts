import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affine, assertBijective, MULTIPLIER } from './affine.js';

describe('affine', () => {
  it('equals the exact BigInt result', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 2 ** 32 * 7919 }),
        fc.integer({ min: 2, max: 2 ** 31 - 1 }),
        (i, add, space) => {
          const exact = Number((BigInt(MULTIPLIER) * BigInt(i) + BigInt(add)) % BigInt(space));
          expect(affine(i, add, space)).toBe(exact);
        },
      ),
    );
  });

  it('is a bijection on a coprime space', () => {
    const space = assertBijective(1000);
    expect(new Set(Array.from({ length: space }, (_, i) => affine(i, 17, space))).size).toBe(space);
    expect(() => assertBijective(MULTIPLIER * 2)).toThrow();
  });
});
