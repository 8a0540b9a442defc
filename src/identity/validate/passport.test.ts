import fc from 'fast-check';
import { getCountries } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { passportCountryKey } from './country.js';
import { validatePassport } from './passport.js';

const number = fc.stringMatching(/^[A-Z0-9]{5,9}$/);

describe('a passport is keyed by its issuer and number', () => {
  it('one passport under the ISO two-letter and the ICAO three-letter code is one key', () => {
    for (const [two, three] of [
      ['CN', 'CHN'],
      ['cn', 'chn'],
      ['DE', 'D<<'],
      ['DE', 'DEU'],
      ['GB', 'GBR'],
      ['HK', 'HKG'],
      ['US', 'USA'],
    ] as const) {
      fc.assert(
        fc.property(number, (n) => {
          const a = validatePassport(two, n);
          const b = validatePassport(three, n);
          expect(a.valid).toBe(true);
          expect(a.key).toBe(b.key);
        }),
        { numRuns: 20 },
      );
    }
    expect(validatePassport('CN', 'E12345678').key).toBe('CHN:E12345678');
  });

  it('every country with a telephone plan has a three-letter code', () => {
    for (const cc of getCountries()) {
      if (cc === 'AC' || cc === 'TA') continue; // Ascension and Tristan da Cunha: parts of SH
      expect(passportCountryKey(cc)).toMatch(/^[A-Z]{3}$/);
    }
    const threes = getCountries()
      .filter((c) => c !== 'AC' && c !== 'TA')
      .map(passportCountryKey);
    expect(new Set(threes).size).toBe(threes.length);
  });

  it('two issuers stay two keys, and ICAO codes outside ISO are kept', () => {
    expect(validatePassport('CN', 'E12345678').key).not.toBe(validatePassport('HK', 'E12345678').key);
    expect(validatePassport('GBN', 'E12345678').key).toBe('GBN:E12345678');
    expect(validatePassport('UTO', 'L898902C3').key).toBe('UTO:L898902C3');
  });
});
