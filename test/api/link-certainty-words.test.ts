import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkWhat } from '../../src/api/services/person-file-service.js';

// A link identity resolution judged on agreeing details (a name and a phone, no identifier) has a
// confidence below 1, 0.9999 in the demo; the person's file said "the link is judged 100%
// certain", which a person reads as proof. Now such a link says "more than 99% certain", and no
// judged link is said to be more certain, or less, than its confidence.
const evidence = [
  { field: 'given_name', outcome: 'exact', weight: 6.41 },
  { field: 'phone', outcome: 'exact', weight: 9.2 },
];

describe('a judged link says how certain it is without rounding to certainty', () => {
  it('0.9999 is more than 99% certain, not 100%', () => {
    const what = linkWhat('probabilistic', 0.9999, evidence);
    expect(what).toContain('judged more than 99% certain');
    expect(what).not.toContain('100%');
  });

  it('any confidence: the percentage said is within a point of it, and 100% or 0% only when exact', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (c) => {
        const what = linkWhat('probabilistic', c, evidence);
        const said = /judged (more than |less than )?(\d+)% certain/.exec(what);
        expect(said, what).not.toBeNull();
        const pct = Number(said?.[2]);
        if (said?.[1] === 'more than ') expect(c * 100).toBeGreaterThan(pct);
        else if (said?.[1] === 'less than ') expect(c * 100).toBeLessThan(pct);
        else expect(Math.abs(c * 100 - pct)).toBeLessThanOrEqual(0.5);
        if (pct === 100 && said?.[1] === undefined) expect(c).toBe(1);
        if (pct === 0 && said?.[1] === undefined) expect(c).toBe(0);
      }),
    );
  });
});
