import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FailedAuthLimiter } from './failed-auth-limiter.js';

describe('FailedAuthLimiter', () => {
  it('keeps no bucket for a key id no key has, nor for an address whose bucket refilled', () => {
    const f = new FailedAuthLimiter({ burst: 3, perSecond: 1 }, 100);
    // Random key ids from random addresses: an attacker filling the map.
    for (let i = 0; i < 1000; i++) {
      expect(f.reserve(`10.0.${i >> 8}.${i & 255}`, `id${i}`, 0)).toBe(0);
      f.settle(`10.0.${i >> 8}.${i & 255}`, `id${i}`, false, false);
    }
    expect(f.tracked.keyIds).toBe(0);
    // Those addresses are still failing (2 of 3 left): kept, past the sweep size.
    expect(f.tracked.addresses).toBe(1000);
    // Three seconds on, all have refilled (the same as no bucket): as new addresses come, the map
    // is swept once it has doubled since the last sweep, and only those still failing are left.
    for (let i = 0; i < 1000; i++) f.reserve(`172.16.${i >> 8}.${i & 255}`, undefined, 3_000);
    expect(f.tracked.addresses).toBeLessThanOrEqual(1000);
    expect(f.tracked.addresses).toBeGreaterThan(0);
  });

  it('property: after any run of attempts, at most burst + elapsed × rate failures were let through', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 2_000 }), good: fc.boolean() }), {
          maxLength: 200,
        }),
        (steps) => {
          const limits = { burst: 5, perSecond: 0.5 };
          const f = new FailedAuthLimiter(limits);
          let now = 0;
          let failedThrough = 0;
          for (const s of steps) {
            now += s.dt;
            if (f.reserve('198.51.100.7', 'KEYID00001', now) > 0) continue;
            f.settle('198.51.100.7', 'KEYID00001', s.good, true);
            if (!s.good) failedThrough++;
          }
          // Good attempts give their token back, so only failures spend the allowance.
          expect(failedThrough).toBeLessThanOrEqual(limits.burst + (now / 1000) * limits.perSecond);
        },
      ),
    );
  });

  it('a good credential is never refused for good traffic alone', () => {
    const f = new FailedAuthLimiter({ burst: 2, perSecond: 0.01 });
    for (let i = 0; i < 1000; i++) {
      expect(f.reserve('198.51.100.8', 'KEYID00002', i)).toBe(0);
      f.settle('198.51.100.8', 'KEYID00002', true, true);
    }
  });
});
