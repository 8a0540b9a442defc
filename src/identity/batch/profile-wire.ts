import { addressWords } from '../normalise/address.js';
import { emptyProfile, type Profile, profileHash } from '../profile.js';
import { PERSON_FIELDS, type PersonRecord } from '../types.js';

// Records and profiles cross to and from the worker thread as one string per chunk (a single
// copy, read back with slices), not as objects: structured clone or JSON of a million small
// objects costs as much as normalising them. Each value is written as its length, ':', and
// the text ('~' when absent, which `??` tells apart from empty), so any text survives.

const PROFILE_FIELDS = [
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
const RECORD_FIELDS = PERSON_FIELDS.filter((f) => f !== 'record_id');

function put(v: string | undefined): string {
  return v === undefined ? '~' : `${v.length}:${v}`;
}

/** Reads values back from a `put` string. */
class Reader {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  get done(): boolean {
    return this.#pos >= this.#text.length;
  }

  next(): string | undefined {
    const s = this.#text;
    let pos = this.#pos;
    let c = s.charCodeAt(pos++);
    if (c === 126) {
      this.#pos = pos;
      return undefined;
    }
    let len = 0;
    while (c !== 58) {
      len = len * 10 + (c - 48);
      c = s.charCodeAt(pos++);
    }
    this.#pos = pos + len;
    return s.slice(pos, pos + len);
  }
}

/** The fields `toProfile` reads of `records[from..to)`. */
export function encodeRecords(records: readonly PersonRecord[], from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const r = records[i] as PersonRecord;
    for (const f of RECORD_FIELDS) s += put(r[f]);
  }
  return s;
}

export function decodeRecords(text: string): PersonRecord[] {
  const out: PersonRecord[] = [];
  const rd = new Reader(text);
  while (!rd.done) {
    const r: Record<string, string> = { record_id: '' };
    for (const f of RECORD_FIELDS) {
      const v = rd.next();
      if (v !== undefined) r[f] = v;
    }
    out.push(r as unknown as PersonRecord);
  }
  return out;
}

/**
 * `profiles[from..to)`: the fields scoring and blocking read, and with `full` the rest
 * (validity of the phone, KYC binding, notes) and the `profileHash`, so the receiver need
 * not hash them again.
 */
export function encodeProfiles(profiles: readonly Profile[], from: number, to: number, full = false): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const p = profiles[i] as Profile;
    for (const f of PROFILE_FIELDS) s += put(p[f]);
    if (!full) continue;
    s += put(String(profileHash(p)));
    s += put(p.phoneValid === undefined ? undefined : p.phoneValid ? '1' : '');
    s += put(p.kycBound === undefined ? undefined : p.kycBound ? '1' : '');
    s += put(String(p.notes.length));
    for (const note of p.notes) s += put(note);
  }
  return s;
}

/**
 * Appends the profiles of an `encodeProfiles` string (written with the same `full`) to `out`,
 * and with `full` their hashes to `hashes`.
 */
export function decodeProfiles(text: string, out: Profile[], full = false, hashes: number[] = []): void {
  const rd = new Reader(text);
  while (!rd.done) {
    const p = emptyProfile() as unknown as Record<string, unknown>;
    for (const f of PROFILE_FIELDS) {
      const v = rd.next();
      if (v !== undefined) p[f] = v;
    }
    const address = p.address as string | undefined;
    if (address !== undefined) p.addressTokens = addressWords(address);
    if (full) {
      hashes.push(Number(rd.next()));
      const phoneValid = rd.next();
      if (phoneValid !== undefined) p.phoneValid = phoneValid === '1';
      const kyc = rd.next();
      if (kyc !== undefined) p.kycBound = kyc === '1';
      const count = Number(rd.next());
      if (count > 0) {
        const notes: string[] = [];
        for (let k = count; k > 0; k--) notes.push(rd.next() as string);
        p.notes = notes;
      }
    }
    out.push(p as unknown as Profile);
  }
}
