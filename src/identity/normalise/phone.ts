import type { CountryCode } from 'libphonenumber-js';
import { lazyModule } from '../lazy-module.js';

// Its metadata takes ~30 ms to load: only when a phone number is read.
// The full metadata (`/max`): the default's checks only a number's length, so an 11-digit Russian
// number with its trunk 8 (`8 912 345-67-89`) read as Chinese was "valid", and a valid phone is a
// strong key tying records to one person.
const phoneLib = lazyModule<typeof import('libphonenumber-js/max')>(import.meta.url, 'libphonenumber-js/max');

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
  // Parsing is costly and a person's number recurs in many records: memoise.
  const key = `${defaultCountry}|${s}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const p = phoneLib().parsePhoneNumberFromString(s, defaultCountry);
  const digits = s.replace(/\D+/g, '');
  const out = p
    ? { value: p.number, valid: p.isValid() }
    : digits
      ? { value: digits, valid: false }
      : undefined;
  if (!out) return undefined;
  if (memo.size >= 200_000) memo = new Map();
  memo.set(key, out);
  return out;
}

let memo = new Map<string, NormalisedPhone>();

/**
 * The spellings under which a furnisher may have sent a valid phone number, for a look-up by it:
 * E.164 and the national number (`+8613800138000`, `13800138000`). Exact identifiers are stored as
 * sent, short of spaces and dashes, so a number typed one way names a person recorded the other.
 * Empty when it is not a valid number.
 *
 * @example
 * phoneSpellings('138-0013-8000') // ['+8613800138000', '13800138000']
 */
export function phoneSpellings(raw: string, defaultCountry: CountryCode = 'CN'): string[] {
  const p = phoneLib().parsePhoneNumberFromString(raw.trim(), defaultCountry);
  if (!p?.isValid()) return [];
  return [p.number, p.nationalNumber];
}
