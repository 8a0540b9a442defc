import type { CountryCode } from 'libphonenumber-js';
import { lazyModule } from '../lazy-module.js';

// Its metadata takes ~30 ms to load: only when a phone number is read.
// The full metadata (`/max`): the default's checks only a number's length, so an 11-digit Russian
// number with its trunk 8 (`8 912 345-67-89`) read as Chinese was "valid", and a valid phone is a
// strong key tying records to one person.
// Marked pure: a bundled command (`credence score`) reaches this file through the exact
// identifiers (`ingest/validate.ts` asks them whether a subject has one) without ever normalising
// a phone, and drops it whole; a bundle may not hold `import.meta.url` (scripts/bundle-commands.mjs).
const phoneLib = /* @__PURE__ */ lazyModule<typeof import('libphonenumber-js/max')>(
  import.meta.url,
  'libphonenumber-js/max',
);

/** A phone number in E.164 when libphonenumber-js can read it; `valid` only for a real numbering plan. */
export interface NormalisedPhone {
  /** E.164 (`+8613800138000`) when parseable, else the bare digits. */
  value: string;
  valid: boolean;
  /** The extension, when the number was written with one (`ext. 12`). */
  ext?: string;
}

/**
 * Normalises a phone number to E.164 with libphonenumber-js; national numbers are read in
 * `defaultCountry` (China unless told otherwise).
 *
 * @example
 * normalisePhone('138 0013 8000') // { value: '+8613800138000', valid: true }
 */
export function normalisePhone(raw: string, defaultCountry: CountryCode = 'CN'): NormalisedPhone | undefined {
  // Full-width digits and plus (a Chinese input method's full-width mode) are the ASCII ones:
  // libphonenumber-js reads the digits but not `＋`, and took `＋1…` for a Chinese number.
  const s = raw.normalize('NFKC').trim();
  if (!s) return undefined;
  // Parsing is costly and a person's number recurs in many records: memoise.
  const key = `${defaultCountry}|${s}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const p = phoneLib().parsePhoneNumberFromString(s, defaultCountry);
  const digits = s.replace(/\D+/g, '');
  const out = p
    ? p.ext
      ? { value: p.number, valid: p.isValid(), ext: p.ext }
      : { value: p.number, valid: p.isValid() }
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
 * The one spelling of a valid phone number that exact identifiers are stored and looked up by:
 * E.164, read as `normalisePhone` reads it (national numbers in `defaultCountry`, China unless
 * told), with an extension kept after `;ext=` (RFC 3966), as a switchboard's extensions are
 * different people. Undefined when it is not a valid number: the caller keeps it as sent.
 *
 * @example
 * phoneKey('0086 189-0893-0091') // '+8618908930091'
 * phoneKey('189 0893 0091') // '+8618908930091'
 * phoneKey('+86 138') // undefined
 */
export function phoneKey(raw: string, defaultCountry: CountryCode = 'CN'): string | undefined {
  const p = normalisePhone(raw, defaultCountry);
  if (!p?.valid) return undefined;
  return p.ext ? `${p.value};ext=${p.ext}` : p.value;
}
