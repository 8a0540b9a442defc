import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasIdentifier,
  IDENTIFIER_KINDS,
  lookupIdentifiers,
  normaliseIdentifier,
  subjectIdentifiers,
} from './identifiers.js';

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

// Valid numbers (libphonenumber-js/max): Chinese mobile and fixed lines, and foreign ones sent
// with their country code.
const VALID = [
  { cc: '86', national: '18908930091' },
  { cc: '86', national: '13800138000' },
  { cc: '86', national: '1065529988' },
  { cc: '1', national: '2025550123' },
];
const fullWidth = (s: string) => s.replace(/[0-9+]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A furnisher's spelling of a number: a prefix form, separators between digits, full-width or not. */
const spelling = fc
  .record({
    n: fc.constantFrom(...VALID),
    prefix: fc.constantFrom('+', '00', '+ ', '(+', 'national', 'tel:+'),
    // Typed or pasted dashes too: a non-breaking hyphen (word processors), an en dash, a minus sign.
    seps: fc.array(fc.constantFrom('', '', ' ', '-', '.', ' - ', '\u2011', '\u2013', '\u2212'), {
      minLength: 20,
      maxLength: 20,
    }),
    wide: fc.boolean(),
  })
  .filter(({ n, prefix }) => prefix !== 'national' || n.cc === '86')
  .map(({ n, prefix, seps, wide }) => {
    const spaced = [...n.national].map((d, i) => (i === 0 ? d : `${seps[i] ?? ''}${d}`)).join('');
    const text =
      prefix === 'national'
        ? n.national.length === 10
          ? `0${spaced}` // a fixed line dialled with its trunk 0
          : spaced
        : prefix === '(+'
          ? `(+${n.cc}) ${spaced}`
          : `${prefix}${n.cc}${seps[0] ?? ''}${spaced}`;
    return { e164: `+${n.cc}${n.national}`, text: wide ? fullWidth(text) : text };
  });

describe('a phone number, however spelled, is one identifier', () => {
  it('any spelling of a valid number is its E.164 (a national one read as Chinese)', () => {
    fc.assert(
      fc.property(spelling, ({ e164, text }) => {
        expect(subjectIdentifiers({ phone: text })).toEqual([{ kind: 'phone', value: e164 }]);
        expect(normaliseIdentifier('phone', text)).toBe(e164);
        expect(lookupIdentifiers(text)).toContainEqual({ kind: 'phone', value: e164 });
      }),
      { numRuns: 500 },
    );
  });

  it('a number that is not valid is kept as sent, short of separators; an extension stays', () => {
    expect(normaliseIdentifier('phone', '+86 138')).toBe('+86138');
    expect(normaliseIdentifier('phone', '(0)12-34')).toBe('01234');
    expect(lookupIdentifiers('+86 138')).toContainEqual({ kind: 'phone', value: '+86138' });
    expect(normaliseIdentifier('phone', '010 6552 9988 ext. 12')).toBe('+861065529988;ext=12');
    expect(lookupIdentifiers('010-6552-9988 ext. 12')).toContainEqual({
      kind: 'phone',
      value: '+861065529988;ext=12',
    });
  });
});

describe('a passport is keyed by its issuing country', () => {
  it('CN and CHN are one key; two countries are two; no country keeps the bare number', () => {
    const pp = (subject: Record<string, string>) =>
      subjectIdentifiers(subject).find((i) => i.kind === 'passport_number')?.value;
    expect(pp({ passport_number: 'e12345678', passport_country: 'CN' })).toBe('CHN:E12345678');
    expect(pp({ passport_number: 'E 1234 5678', passport_country: 'chn' })).toBe('CHN:E12345678');
    expect(pp({ passport_number: 'E12345678', passport_country: 'KOR' })).toBe('KOR:E12345678');
    expect(pp({ passport_number: 'E12345678' })).toBe('E12345678');
    // A country that is no ICAO code leaves the number bare, as one sent without any.
    expect(pp({ passport_number: 'E12345678', passport_country: 'China' })).toBe('E12345678');
  });

  it('is looked up as COUNTRY:NUMBER, alpha-2 or alpha-3', () => {
    for (const text of ['CN:E12345678', 'chn:e12345678', 'CHN:E12345678'])
      expect(lookupIdentifiers(text)).toContainEqual({ kind: 'passport_number', value: 'CHN:E12345678' });
    expect(lookupIdentifiers('E12345678')).toContainEqual({ kind: 'passport_number', value: 'E12345678' });
  });
});
