import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rulebookAt } from './versions.js';

// docs/rulebook.md, "Versions": the highest version in force at as-of (effectiveFrom <= as-of),
// chosen by effectiveFrom, not by load order; before every version, the one in force at the
// earliest effectiveFrom. A version without effectiveFrom (0) is in force for every as-of, past
// ones included.

const arbVersions = fc
  .uniqueArray(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 })
  .chain((nums) =>
    fc.tuple(
      ...nums.map((version) =>
        fc.constantFrom(0, 100, 200, 300, 400).map((effectiveFrom) => ({ version, effectiveFrom })),
      ),
    ),
  );

describe('rulebookAt', () => {
  it('takes the highest version in force, else the first to come into force, whatever the list order', () => {
    fc.assert(
      fc.property(arbVersions, fc.integer({ min: -50, max: 450 }), fc.nat(), (versions, asOf, seed) => {
        const got = rulebookAt(versions, asOf);
        const inForce = versions.filter((v) => v.effectiveFrom <= asOf);
        const first = Math.min(...versions.map((v) => v.effectiveFrom));
        const want = Math.max(
          ...(inForce.length > 0 ? inForce : versions.filter((v) => v.effectiveFrom === first)).map(
            (v) => v.version,
          ),
        );
        expect(got?.version).toBe(want);
        const shuffled = fc.sample(fc.shuffledSubarray(versions, { minLength: versions.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        expect(rulebookAt(shuffled, asOf)).toBe(got);
      }),
    );
  });

  it('a later version without effectiveFrom replaces the earlier one for past as-ofs too', () => {
    const v1 = { version: 1, effectiveFrom: 0 };
    const v2 = { version: 2, effectiveFrom: 0 };
    expect(rulebookAt([v1, v2], Date.parse('2001-01-01T00:00:00Z'))).toBe(v2);
    const v3 = { version: 3, effectiveFrom: Date.parse('2026-06-01T00:00:00Z') };
    expect(rulebookAt([v1, v2, v3], Date.parse('2026-05-31T23:59:59Z'))).toBe(v2);
    expect(rulebookAt([v1, v2, v3], Date.parse('2026-06-01T00:00:00Z'))).toBe(v3);
  });

  // A version loaded out of date order (June's, then March's): the version loaded later and in
  // force earlier overtakes the other at every as-of after March, so the other never comes into
  // force. It scored every as-of before March all the same, as "the earliest version".
  it('a version that is in force at no as-of from its effectiveFrom on scores no earlier as-of either', () => {
    fc.assert(
      fc.property(arbVersions, fc.integer({ min: -50, max: 450 }), (versions, asOf) => {
        const ever = new Set(versions.map((v) => rulebookAt(versions, v.effectiveFrom)?.version));
        expect(ever).toContain(rulebookAt(versions, asOf)?.version);
      }),
    );
    const june = { version: 1, effectiveFrom: Date.parse('2026-06-01T00:00:00Z') };
    const march = { version: 2, effectiveFrom: Date.parse('2026-03-01T00:00:00Z') };
    expect(rulebookAt([june, march], Date.parse('2026-07-01T00:00:00Z'))).toBe(march);
    expect(rulebookAt([june, march], Date.parse('2026-01-01T00:00:00Z'))).toBe(march);
  });
});
