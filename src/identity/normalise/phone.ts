import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** A phone number in E.164 when libphonenumber-js can read it; `valid` only for a real numbering plan. */
export interface NormalisedPhone {
  /** E.164 (`+8613800138000`) when parseable, else the bare digits. */
  value: string;
  valid: boolean;
}

/**
 * Normalises a phone number to E.164 with libphonenumber-js; national numbers are read in
 * `defaultCountry` (China unless told otherwise).
 *
 * @example
 * normalisePhone('138 0013 8000') // { value: '+8613800138000', valid: true }
 */
export function normalisePhone(raw: string, defaultCountry: CountryCode = 'CN'): NormalisedPhone | undefined {
  const s = raw.trim();
  if (!s) return undefined;
  const p = parsePhoneNumberFromString(s, defaultCountry);
  if (p) return { value: p.number, valid: p.isValid() };
  const digits = s.replace(/\D+/g, '');
  return digits ? { value: digits, valid: false } : undefined;
}
