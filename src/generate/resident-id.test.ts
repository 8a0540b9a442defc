import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasValidCheckChar, residentId, residentIdCheckChar } from './resident-id.js';

describe('GB 11643 resident IDs', () => {
  it('computes the check character of the published example', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentId('110105', '19491231', 2)).toBe('11010519491231002X');
    expect(hasValidCheckChar('11010519491231002X')).toBe(true);
    expect(hasValidCheckChar('110105194912310021')).toBe(false);
  });

  it('detects every single-digit error (the weights are all non-zero modulo the prime 11)', () => {
    const digits17 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 });
    fc.assert(
      fc.property(digits17, fc.nat(16), fc.integer({ min: 1, max: 9 }), (ds, pos, delta) => {
        const id = ds.join('') + residentIdCheckChar(ds.join(''));
        expect(hasValidCheckChar(id)).toBe(true);
        const wrong = ds.slice();
        wrong[pos] = ((wrong[pos] as number) + delta) % 10;
        expect(hasValidCheckChar(wrong.join('') + id[17])).toBe(false);
      }),
    );
  });
});
