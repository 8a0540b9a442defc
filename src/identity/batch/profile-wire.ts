import type { Profile } from '../profile.js';

// The fields pair scoring and blocking read. A worker thread gets profiles as one string per
// chunk (a single copy across threads, split once), not as objects: structured clone or JSON
// of a million small objects costs as much as normalising them.
const FIELDS = [
  'given',
  'surname',
  'dob',
  'sex',
  'nationalId',
  'weakId',
  'maskedId',
  'passport',
  'weakPassport',
  'phone',
  'email',
  'address',
  'city',
  'postcode',
  'account',
  'otherId',
] as const;
const SEP = '\u0001';
const STRIDE = FIELDS.length + 1;

/**
 * The scoring fields of `profiles[from..to)` as one string. A leading mask per profile tells
 * an absent field from an empty one (`??` treats them differently).
 */
export function encodeProfiles(profiles: readonly Profile[], from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const p = profiles[i] as Profile;
    let mask = 0;
    let body = '';
    for (let f = 0; f < FIELDS.length; f++) {
      const v = p[FIELDS[f] as (typeof FIELDS)[number]];
      if (v !== undefined) mask |= 1 << f;
      body += `${v ?? ''}${SEP}`;
    }
    s += `${mask.toString(36)}${SEP}${body}`;
  }
  return s;
}

/** Appends the profiles of an `encodeProfiles` string to `out` (scoring fields only, no notes). */
export function decodeProfiles(text: string, out: Profile[]): void {
  const parts = text.split(SEP);
  const n = Math.floor(parts.length / STRIDE);
  for (let i = 0; i < n; i++) {
    const at = i * STRIDE;
    const mask = Number.parseInt(parts[at] as string, 36);
    const p: Record<string, unknown> = { notes: [] };
    for (let f = 0; f < FIELDS.length; f++)
      if (mask & (1 << f)) p[FIELDS[f] as string] = parts[at + 1 + f] as string;
    const address = p.address as string | undefined;
    if (address !== undefined) p.addressTokens = [...new Set(address.split(' '))];
    out.push(p as unknown as Profile);
  }
}
