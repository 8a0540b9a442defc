import { passportCountryKey } from './country.js';

/** The outcome of checking a passport's country code and number. */
export interface PassportCheck {
  valid: boolean;
  country?: string;
  number: string;
  /** `COUNTRY:NUMBER`, the strong key when valid: the country as its three-letter code (`CN` is `CHN`). */
  key?: string;
  problems: string[];
}

// ICAO 9303 codes are three letters (a few German and specimen codes use `<` fill, e.g. `D<<`).
const COUNTRY = /^[A-Z]{1,3}$/;
const NUMBER = /^[A-Z0-9]{5,9}$/;

/**
 * Validates a passport by its issuing country (ICAO three-letter code) and document number
 * (5–9 letters or digits, as the MRZ field allows). Passport numbers carry no check digit
 * outside the MRZ, so a passport is strong only together with its country.
 *
 * @example
 * validatePassport('CHN', 'E12345678').key // 'CHN:E12345678'
 * validatePassport('cn', 'E12345678').key // 'CHN:E12345678'
 */
export function validatePassport(country: string | undefined, number: string): PassportCheck {
  // Full-width letters and digits (NFKC) are the ASCII ones.
  const n = number
    .normalize('NFKC')
    .replace(/[\s<-]+/g, '')
    .toUpperCase();
  const given = country
    ?.normalize('NFKC')
    .replace(/[\s<]+/g, '')
    .toUpperCase();
  // CN and CHN, D and DEU name one issuer: one passport is one key, whichever a source wrote.
  const c = given && COUNTRY.test(given) ? passportCountryKey(given) : given;
  const problems: string[] = [];
  if (!c) problems.push('no issuing country');
  else if (!COUNTRY.test(c)) problems.push(`issuing country "${country}" is not an ICAO code`);
  if (!NUMBER.test(n)) problems.push(`number "${number}" is not 5-9 letters or digits`);
  const valid = problems.length === 0;
  return { valid, number: n, ...(c ? { country: c } : {}), ...(valid ? { key: `${c}:${n}` } : {}), problems };
}
