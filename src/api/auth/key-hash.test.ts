import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameDigest, tokenDigest } from './key-hash.js';

describe('sameDigest', () => {
  it('is equality of the two texts, for digests that differ anywhere or not at all', () => {
    const digest = fc.string({ minLength: 1, maxLength: 8 }).map(tokenDigest);
    fc.assert(
      fc.property(digest, digest, fc.nat(43), fc.string({ minLength: 1, maxLength: 1 }), (a, b, i, c) => {
        expect(sameDigest(a, b)).toBe(a === b);
        expect(sameDigest(a, a)).toBe(true);
        const changed = a.slice(0, i) + c + a.slice(i + 1);
        expect(sameDigest(a, changed)).toBe(a === changed);
        expect(sameDigest(a, a.slice(1))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
