import type { Subject } from '../../core/facts/fact.js';
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

// Exact matching needs one spelling per identifier; these are the cheap, lossless normalisations.
const normalisers: Record<string, (v: string) => string> = {
  // A first-generation 15-digit ID is its 18-character upgrade (the same person, the same key).
  national_id: residentIdKey,
  passport_number: (v) => v.normalize('NFKC').replace(/\s+/g, '').toUpperCase(),
  phone: (v) => v.replace(/[\s\-().]/g, ''),
  account: (v) => v.trim().toLowerCase(),
  email: (v) => v.trim().toLowerCase(),
  other_id: (v) => v.trim(),
};

/** Normalises an identifier value of a kind (unknown kinds are trimmed). */
export function normaliseIdentifier(kind: string, value: string): string {
  const n = normalisers[kind];
  return n ? n(value) : value.trim();
}

/**
 * The identifiers a subject carries, strongest first, normalised.
 *
 * @example
 * subjectIdentifiers({ phone: '+86 138 0013 8000' }) // [{ kind: 'phone', value: '+8613800138000' }]
 */
export function subjectIdentifiers(subject: Subject): Identifier[] {
  const out: Identifier[] = [];
  for (const kind of IDENTIFIER_KINDS) {
    const v = subject[kind];
    if (typeof v === 'string') {
      const value = normaliseIdentifier(kind, v);
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
