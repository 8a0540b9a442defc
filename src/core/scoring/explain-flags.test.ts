import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../consent/consent.js';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { explainPerson, scorePerson } from './index.js';

// An explanation names, for each flag held, the fact that set it ("set by court/l-7"): the person
// must be able to find and dispute exactly that listing. It must be a listing that still holds at
// as-of, and one that counts there (not after as-of, not before an opt-out, not suspended).

const rb = rulebook(`events:
  court.listed: { category: legal, fields: { case: string } }
  court.removed: { category: legal, fields: { case: string } }
  reg.listed: { category: legal, fields: { ref: string } }
  reg.removed: { category: legal, fields: { ref: string } }
flags:
  - { id: debtor, set: court.listed, clear: court.removed, key: [case], reason: { code: L01, text: Listed debtor } }
  - { id: registered, set: reg.listed, clear: reg.removed, reason: { code: L02, text: Registered } }
`);

const TYPES = ['court.listed', 'court.removed', 'reg.listed', 'reg.removed'] as const;
const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 40 }),
      source: fc.constantFrom('court', 'reg'),
      type: fc.constantFrom(...TYPES),
      day: fc.integer({ min: 0, max: 60 }),
      key: fc.constantFrom('A', 'B', 'C'),
      disputed: fc.boolean(),
    })
    .map(
      ({ id, source, type, day, key, disputed }): ScoringFact => ({
        key: factKey(source, `f${id}`),
        id: `f${id}`,
        source,
        type,
        at: T0 + day * DAY,
        data: type.startsWith('court') ? { case: key } : { ref: key },
        ...(disputed ? { disputed: true } : {}),
      }),
    ),
  { selector: (f) => f.key, maxLength: 14 },
);
const arbConsent = fc.array(
  fc.record({
    action: fc.constantFrom('opt-in' as const, 'opt-out' as const),
    at: fc.integer({ min: 0, max: 60 }).map((d) => T0 + d * DAY + 1),
  }),
  { maxLength: 2 },
);

describe('explain: the fact that set a flag', () => {
  it('names a counted listing of that flag which alone still holds the flag at as-of', () => {
    fc.assert(
      fc.property(
        arbFacts,
        fc.integer({ min: 0, max: 70 }),
        arbConsent,
        (facts, day, consent: ConsentEvent[]) => {
          const asOf = T0 + day * DAY;
          const x = explainPerson(rb, facts, asOf, consent);
          if (x.outcome.status !== 'scored') return;
          for (const held of x.flags) {
            const def = rb.flags.find((f) => f.id === held.id)!;
            expect(held.setBy).toBeDefined();
            const setter = facts.find((f) => f.key === held.setBy)!;
            expect(setter.type).toBe(def.set);
            expect(setter.at).toBeLessThanOrEqual(asOf);
            expect(setter.disputed).not.toBe(true);
            // Every other listing of the flag taken away, the one named still holds it.
            const alone = facts.filter((f) => f.type !== def.set || f.key === setter.key);
            const o = scorePerson(rb, alone, asOf, consent);
            expect(o.status === 'scored' && o.flags.includes(held.id)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a removed listing is not named while another keeps the flag', () => {
    const f = (id: string, type: string, day: number, c: string): ScoringFact => ({
      key: factKey('court', id),
      id,
      source: 'court',
      type,
      at: T0 + day * DAY,
      data: { case: c },
    });
    const x = explainPerson(
      rb,
      [f('l1', 'court.listed', 1, 'A'), f('l2', 'court.listed', 2, 'B'), f('r2', 'court.removed', 3, 'B')],
      T0 + 10 * DAY,
      [],
    );
    expect(x.flags).toEqual([{ id: 'debtor', text: 'Listed debtor', setBy: 'court/l1' }]);
  });
});
