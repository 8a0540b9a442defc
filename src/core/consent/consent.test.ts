import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentEvent, consentVerdict } from './consent.js';

const eventArb: fc.Arbitrary<ConsentEvent> = fc.record({
  action: fc.constantFrom('opt-in' as const, 'opt-out' as const),
  // A small range of instants, so that ties are common.
  at: fc.integer({ min: 0, max: 5 }),
});

describe('consentVerdict', () => {
  it('does not depend on the order the consent changes arrived in', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('opt-in' as const, 'opt-out' as const),
        fc.array(eventArb, { maxLength: 8 }),
        fc.integer({ min: 0, max: 6 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (enrollment, history, asOf, random) => {
          const shuffled = [...history].sort(() => (random.next().value as number) - 0.5);
          expect(consentVerdict(enrollment, shuffled, asOf)).toEqual(
            consentVerdict(enrollment, history, asOf),
          );
        },
      ),
    );
  });

  it('takes an opt-out and an opt-in at the same instant as an opt-out', () => {
    const both: ConsentEvent[] = [
      { action: 'opt-out', at: 10 },
      { action: 'opt-in', at: 10 },
    ];
    expect(consentVerdict('opt-out', both, 20)).toEqual({ scorable: false, status: 'opted-out' });
    expect(consentVerdict('opt-in', both.toReversed(), 20)).toEqual({ scorable: false, status: 'opted-out' });
  });

  it('lets a later opt-in start afresh after the opt-out', () => {
    const v = consentVerdict(
      'opt-out',
      [
        { action: 'opt-in', at: 12 },
        { action: 'opt-out', at: 10 },
      ],
      20,
    );
    expect(v).toEqual({ scorable: true, status: 'opted-in', factsAfter: 12, enrolledAt: 12 });
    expect(
      consentVerdict(
        'opt-out',
        [
          { action: 'opt-out', at: 10 },
          { action: 'opt-in', at: 12 },
        ],
        11,
      ),
    ).toEqual({
      scorable: false,
      status: 'opted-out',
    });
  });
});
