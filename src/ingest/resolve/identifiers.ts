import type { Subject } from '../../core/facts/fact.js';
import { phoneKey } from '../../identity/normalise/phone.js';
import { validatePassport } from '../../identity/validate/passport.js';
import { residentIdKey } from '../../identity/validate/resident-id.js';
import type { Identifier } from '../../store/store.js';

/**
 * Identifiers that name one person exactly, strongest first: the exact resolver tries them in
 * this order. `other_id` has no check digit and is trusted least.
 */
export const IDENTIFIER_KINDS = [
  'national_id',
  'passport_number',
  'phone',
  'account',
  'email',
  'other_id',
] as const;

/** Identifiers `credence score SUBJECT` accepts in place of a subject id. */
export const LOOKUP_KINDS: readonly string[] = [
  'national_id',
  'passport_number',
  'phone',
  'account',
  'email',
];

const stripPhone = (v: string) => v.replace(/[\s\-().]/g, '');
const passportNumber = (v: string) => v.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
// `CN:E12345678`, `chn:e12345678`: a passport written with its issuing country.
const WITH_COUNTRY = /^([A-Z]{1,3}):([A-Z0-9]{5,9})$/;

/**
 * A passport's identifier: `COUNTRY:NUMBER` with the country's three letters (`CN` and `CHN` are
 * one key, as the identity engine keys it) when the issuing country is known and valid, else the
 * bare number. Two countries may issue the same number: keyed by country, each is its own row.
 */
function passportIdentifier(number: string, country: string | undefined): string {
  const n = passportNumber(number);
  const written = WITH_COUNTRY.exec(n);
  const pp = written ? validatePassport(written[1], written[2] as string) : validatePassport(country, n);
  return pp.valid ? (pp.key as string) : n;
}

// A subject's phone is spelled several times per fact (the batch's look-up, its resolution, the
// claims): by the sent string itself, whose hash V8 keeps, a repeat costs ~0.1 µs, not the ~1 µs
// of `normalisePhone`'s own memo (NFKC and a composite key). Bounded: it only spares repeats.
const phoneKeys = new Map<string, string>();

// Exact matching needs one spelling per identifier; these are the cheap, lossless normalisations.
const normalisers: Record<string, (v: string) => string> = {
  // A first-generation 15-digit ID is its 18-character upgrade (the same person, the same key).
  national_id: residentIdKey,
  passport_number: (v) => passportIdentifier(v, undefined),
  // A valid number in E.164 (`0086 189-0893-0091`, `18908930091` and `+8618908930091` are one
  // key; national numbers read as Chinese, as the identity engine reads them); any other as sent,
  // without separators, so nothing is lost.
  phone: (v) => {
    let key = phoneKeys.get(v);
    if (key === undefined) {
      key = phoneKey(v) ?? stripPhone(v);
      if (phoneKeys.size >= 50_000) phoneKeys.clear();
      phoneKeys.set(v, key);
    }
    return key;
  },
  account: (v) => v.trim().toLowerCase(),
  email: (v) => v.trim().toLowerCase(),
  other_id: (v) => v.trim(),
};

/**
 * Normalises an identifier value of a kind (unknown kinds are trimmed). A phone is read with
 * libphonenumber-js (loaded on the first phone); a passport keeps its country only when written
 * `COUNTRY:NUMBER` (a subject's `passport_country` is read by `subjectIdentifiers`).
 *
 * @example
 * normaliseIdentifier('phone', '0086 189-0893-0091') // '+8618908930091'
 * normaliseIdentifier('passport_number', 'cn:e12345678') // 'CHN:E12345678'
 */
export function normaliseIdentifier(kind: string, value: string): string {
  const n = normalisers[kind];
  return n ? n(value) : value.trim();
}

// What may be a phone number: digits (a leading `+`, separators, an extension). Any other text (a
// resident ID with its X, an e-mail, an account) is no valid number, so it is stored as written,
// short of separators, and looked up so without loading libphonenumber-js. 18 digits or more is no
// number either (E.164 holds 15, a `00` prefix two more): an 18-digit resident ID loads nothing.
const PHONE_LIKE = /^\+?\d{3,17}(?:(?:;?ext[.=]?|x|#)\d{1,7})?$/i;
// What the gate above strips besides `stripPhone`'s ASCII separators: any dash (a non-breaking
// hyphen from a word processor, an en dash, a minus sign) and a `tel:` URI's scheme (RFC 3966), all
// of which libphonenumber-js reads past. Only the gate: what is stored and looked up is still
// `normaliseIdentifier`'s spelling, so a number that is not valid keeps the spelling it is stored by.
const PHONE_GATE_STRIP = /^tel:|[\p{Pd}\u2212]/giu;

/**
 * The identifiers `credence score TEXT` (and the API's look-up) tries a text as: each kind of
 * `LOOKUP_KINDS` with the value spelled as `normaliseIdentifier` stores it, so a phone found in
 * any spelling, and a passport by `COUNTRY:NUMBER` (`CN` or `CHN`).
 *
 * @example
 * lookupIdentifiers('0086 189 0893 0091').find((i) => i.kind === 'phone') // { kind: 'phone', value: '+8618908930091' }
 */
export function lookupIdentifiers(text: string): Identifier[] {
  const out: Identifier[] = [];
  for (const kind of LOOKUP_KINDS) {
    const value =
      kind !== 'phone' || PHONE_LIKE.test(stripPhone(text.normalize('NFKC').replace(PHONE_GATE_STRIP, '')))
        ? normaliseIdentifier(kind, text)
        : stripPhone(text);
    if (value.length > 0) out.push({ kind, value });
  }
  return out;
}

/**
 * The identifiers a subject carries, strongest first, normalised.
 *
 * @example
 * subjectIdentifiers({ phone: '138 0013 8000' }) // [{ kind: 'phone', value: '+8613800138000' }]
 * subjectIdentifiers({ passport_number: 'E12345678', passport_country: 'CN' })
 * // [{ kind: 'passport_number', value: 'CHN:E12345678' }]
 */
export function subjectIdentifiers(subject: Subject): Identifier[] {
  const out: Identifier[] = [];
  for (const kind of IDENTIFIER_KINDS) {
    const v = subject[kind];
    if (typeof v === 'string') {
      const value =
        kind === 'passport_number'
          ? passportIdentifier(v, subject.passport_country)
          : normaliseIdentifier(kind, v);
      if (value.length > 0) out.push({ kind, value });
    }
  }
  return out;
}

// A value is non-empty after normalisation iff it holds a character the normaliser keeps.
const PHONE_KEPT = /[^\s\-().]/;
const NON_SPACE = /\S/;

/**
 * Whether a subject carries any identifier, as `subjectIdentifiers(subject).length > 0`, without
 * building the list (validation asks this of every line).
 *
 * @example
 * hasIdentifier({ phone: ' ( ) ' }) // false
 */
export function hasIdentifier(subject: Subject): boolean {
  for (const kind of IDENTIFIER_KINDS) {
    const v = subject[kind];
    if (typeof v === 'string' && (kind === 'phone' ? PHONE_KEPT : NON_SPACE).test(v)) return true;
  }
  return false;
}
