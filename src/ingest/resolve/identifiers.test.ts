import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasIdentifier, IDENTIFIER_KINDS, subjectIdentifiers } from './identifiers.js';

// Values made of the characters normalisers drop, plus a few they keep.
const value = fc
  .array(fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '-', '(', ')', '.', 'a', '7', '+'), { maxLength: 6 })
  .map((cs) => cs.join(''));

describe('hasIdentifier', () => {
  it('agrees with subjectIdentifiers(subject).length > 0', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...IDENTIFIER_KINDS, 'surname', 'full_name'), value),
        (subject) => {
          expect(hasIdentifier(subject)).toBe(subjectIdentifiers(subject).length > 0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a phone of punctuation only is no identifier; a name alone is none', () => {
    expect(hasIdentifier({ phone: ' (-) ' })).toBe(false);
    expect(hasIdentifier({ surname: 'Wang', full_name: 'Wang Wei' })).toBe(false);
    expect(hasIdentifier({ phone: '(+86) 138' })).toBe(true);
    expect(hasIdentifier({ email: ' - ' })).toBe(true);
  });
});
