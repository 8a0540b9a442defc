import { hashEnd, hashFeed, hashStart } from './field-hash.js';
import { addressWords, normaliseAddress, normalisePlace } from './normalise/address.js';
import { parseDate } from './normalise/date.js';
import { normaliseEmail } from './normalise/email.js';
import { normaliseName, normaliseNamePart } from './normalise/name.js';
import { normalisePhone } from './normalise/phone.js';
import type { PersonRecord } from './types.js';
import { isMaskedResidentId, maskedBlockKey } from './validate/masked-id.js';
import { parseMrz } from './validate/mrz.js';
import { validatePassport } from './validate/passport.js';
import { normaliseSexCode, validateResidentId } from './validate/resident-id.js';

/**
 * A person record normalised for matching. Strong identifiers appear only when validated;
 * an invalid one is kept as a weak attribute (`weakId`, `weakPassport`) and never trusted.
 */
export interface Profile {
  given?: string;
  surname?: string;
  /** YYYYMMDD digits (possibly not a real date, kept for fuzzy comparison). */
  dob?: string;
  sex?: 'M' | 'F';
  /** A GB 11643 ID that passed every check, including birth date and sex against the record. */
  nationalId?: string;
  weakId?: string;
  maskedId?: string;
  /** `COUNTRY:NUMBER` of a valid passport or MRZ. */
  passport?: string;
  weakPassport?: string;
  phone?: string;
  phoneValid?: boolean;
  email?: string;
  address?: string;
  /** The address's distinct words that tell addresses apart (`addressWords`), for overlap. */
  addressTokens?: string[];
  city?: string;
  postcode?: string;
  account?: string;
  otherId?: string;
  /** A valid MRZ came with the record: its phone is bound to the document holder (real-name KYC). */
  kycBound?: boolean;
  /** Why an identifier was not trusted, for explanations. */
  notes: string[];
}

/** Options for normalising: the country national phone numbers are read in. */
export interface ProfileOptions {
  defaultPhoneCountry?: Parameters<typeof normalisePhone>[1];
}

const t = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

// Most profiles carry no notes: they share this one, instead of an empty array each (millions
// of profiles stay in memory while ingesting).
export const NO_NOTES: string[] = Object.freeze([]) as unknown as string[];

/**
 * An empty profile with every field present, in one order: all profiles then share one hidden
 * class, so the comparisons that read a dozen fields of two profiles per candidate pair hit
 * monomorphic property loads instead of looking each field up among dozens of shapes.
 */
export function emptyProfile(): Profile {
  return {
    given: undefined,
    surname: undefined,
    dob: undefined,
    sex: undefined,
    nationalId: undefined,
    weakId: undefined,
    maskedId: undefined,
    passport: undefined,
    weakPassport: undefined,
    phone: undefined,
    phoneValid: undefined,
    email: undefined,
    address: undefined,
    addressTokens: undefined,
    city: undefined,
    postcode: undefined,
    account: undefined,
    otherId: undefined,
    kycBound: undefined,
    notes: NO_NOTES,
  };
}

/**
 * Normalises and validates a person record.
 *
 * @example
 * toProfile({ record_id: 'r1', full_name: '王伟', national_id: '11010519491231002X' })
 * // { given: 'wei', surname: 'wang', nationalId: '11010519491231002X', dob: '19491231', sex: 'F', … }
 */
export function toProfile(r: PersonRecord, opts: ProfileOptions = {}): Profile {
  const notes: string[] = [];
  const p = emptyProfile();
  const name = normaliseName(r);
  if (name.given) p.given = name.given;
  if (name.surname) p.surname = name.surname;
  const dob = t(r.date_of_birth);
  if (dob) {
    const d = parseDate(dob);
    if (d.digits) p.dob = d.digits;
  }
  const sex = t(r.sex) ? normaliseSexCode(r.sex as string) : undefined;
  if (sex) p.sex = sex;

  const mrz = t(r.mrz);
  if (mrz) {
    const asOf = r.mrz_as_of ? Date.parse(`${r.mrz_as_of}T23:59:59Z`) : Number.NaN;
    const m = parseMrz(mrz.split(/[\r\n|/]+|\s+/).filter(Boolean), Number.isNaN(asOf) ? {} : { asOf });
    if (!p.surname && m.surname) p.surname = normaliseNamePart(m.surname, true) as string;
    if (!p.given && m.givenNames) p.given = normaliseNamePart(m.givenNames) as string;
    if (!p.dob && m.birthDate) p.dob = m.birthDate.replace(/-/g, '');
    if (!p.sex && m.sex) p.sex = m.sex;
    const pp = m.documentNumber ? validatePassport(m.issuingState, m.documentNumber) : undefined;
    if (m.valid && pp?.valid) {
      p.passport = pp.key as string;
      p.kycBound = true;
    } else {
      if (m.documentNumber) p.weakPassport = m.documentNumber.replace(/</g, '');
      notes.push(`mrz not trusted: ${m.problems.join('; ') || 'no document number'}`);
    }
  }
  const ppNumber = t(r.passport_number);
  if (ppNumber && !p.passport) {
    const pp = validatePassport(t(r.passport_country), ppNumber);
    if (pp.valid) p.passport = pp.key as string;
    else {
      p.weakPassport = pp.number;
      notes.push(`passport not trusted: ${pp.problems.join('; ')}`);
    }
  }

  const nid = t(r.national_id)?.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (nid) {
    if (isMaskedResidentId(nid)) p.maskedId = nid;
    else {
      const check = validateResidentId(nid, { ...(dob ? { dob } : {}), ...(sex ? { sex } : {}) });
      if (check.valid) {
        p.nationalId = check.id;
        if (!p.dob && check.birthDate) p.dob = check.birthDate.replace(/-/g, '');
        if (!p.sex && check.sex) p.sex = check.sex;
      } else {
        p.weakId = check.id;
        notes.push(`national_id not trusted: ${check.problems.join('; ')}`);
      }
    }
  }

  const phone = t(r.phone) ? normalisePhone(r.phone as string, opts.defaultPhoneCountry) : undefined;
  if (phone) {
    p.phone = phone.value;
    p.phoneValid = phone.valid;
  }
  const email = t(r.email) ? normaliseEmail(r.email as string) : undefined;
  if (email) p.email = email;
  const address = t(r.address) ? normaliseAddress(r.address as string) : undefined;
  if (address) {
    p.address = address;
    p.addressTokens = addressWords(address);
  }
  const city = t(r.city) ? normalisePlace(r.city as string) : undefined;
  if (city) p.city = city;
  const postcode = t(r.postcode) ? normalisePlace(r.postcode as string) : undefined;
  if (postcode) p.postcode = postcode;
  const account = t(r.account)?.toLowerCase();
  if (account) p.account = account;
  const other = t(r.other_id)
    ?.replace(/[\s-]+/g, '')
    .toUpperCase();
  if (other) p.otherId = other;
  if (notes.length > 0) p.notes = notes;
  return p;
}

/**
 * Strong keys a profile registers and looks up: a validated resident ID, passport or account,
 * and a phone number bound by a KYC document.
 */
export function strongKeys(p: Profile): string[] {
  const keys: string[] = [];
  if (p.nationalId) keys.push(`n:${p.nationalId}`);
  if (p.passport) keys.push(`p:${p.passport}`);
  if (p.account) keys.push(`a:${p.account}`);
  if (p.kycBound && p.phone && p.phoneValid) keys.push(`k:${p.phone}`);
  return keys;
}

/** Strong keys a profile looks up without registering them (a phone meets its KYC binding). */
export function lookupKeys(p: Profile): string[] {
  const keys = strongKeys(p);
  if (!p.kycBound && p.phone && p.phoneValid) keys.push(`k:${p.phone}`);
  return keys;
}

/**
 * Blocking keys: two records are compared only when they share one. Several rules OR-ed
 * together (as in Splink), so a typo in one field still leaves other ways to meet.
 */
export function blockingKeys(p: Profile): string[] {
  const keys: string[] = [];
  if (p.nationalId) keys.push(`n:${p.nationalId}`);
  if (p.passport) keys.push(`p:${p.passport}`);
  if (p.account) keys.push(`a:${p.account}`);
  if (p.phone && p.phone.length >= 7) keys.push(`ph:${p.phone}`);
  if (p.email) keys.push(`em:${p.email}`);
  if (p.otherId) keys.push(`o:${p.otherId}`);
  const idLike = p.nationalId ?? p.weakId ?? p.maskedId;
  const masked = idLike ? maskedBlockKey(idLike) : undefined;
  if (masked) keys.push(`x:${masked}`);
  if (p.weakPassport) keys.push(`wp:${p.weakPassport}`);
  const g = p.given;
  const s = p.surname;
  if (p.dob) {
    if (s) keys.push(`ds:${p.dob}|${s}`);
    if (g) keys.push(`dg:${p.dob}|${g}`);
  }
  if (g && s) keys.push(g < s ? `nm:${g}|${s}` : `nm:${s}|${g}`);
  if (p.postcode) {
    if (g) keys.push(`pg:${p.postcode}|${g}`);
    if (s) keys.push(`ps:${p.postcode}|${s}`);
  }
  if (p.address && s) keys.push(`as:${p.address}|${s.charAt(0)}`);
  return keys;
}

/** True when a profile's only identifying evidence is a masked ID: such matches go to review. */
export function isMaskedOnly(p: Profile): boolean {
  return (
    p.maskedId !== undefined &&
    !p.nationalId &&
    !p.passport &&
    !p.account &&
    !p.phone &&
    !p.email &&
    !p.otherId &&
    !p.weakId
  );
}

/** True when two profiles have the same normalised content (the same `profileSignature`). */
export function sameProfile(a: Profile, b: Profile): boolean {
  return (
    (a.given ?? '') === (b.given ?? '') &&
    (a.surname ?? '') === (b.surname ?? '') &&
    (a.dob ?? '') === (b.dob ?? '') &&
    (a.sex ?? '') === (b.sex ?? '') &&
    (a.nationalId ?? '') === (b.nationalId ?? '') &&
    (a.weakId ?? '') === (b.weakId ?? '') &&
    (a.maskedId ?? '') === (b.maskedId ?? '') &&
    (a.passport ?? '') === (b.passport ?? '') &&
    (a.weakPassport ?? '') === (b.weakPassport ?? '') &&
    (a.phone ?? '') === (b.phone ?? '') &&
    (a.email ?? '') === (b.email ?? '') &&
    (a.address ?? '') === (b.address ?? '') &&
    (a.city ?? '') === (b.city ?? '') &&
    (a.postcode ?? '') === (b.postcode ?? '') &&
    (a.account ?? '') === (b.account ?? '') &&
    (a.otherId ?? '') === (b.otherId ?? '') &&
    !a.kycBound === !b.kycBound
  );
}

/**
 * `hashKey(profileSignature(p))` without building the signature: the same 53-bit number,
 * computed over the fields in place (this runs once per record of a batch).
 */
export function profileHash(p: Profile): number {
  hashStart();
  hashFeed(p.given, true);
  hashFeed(p.surname, true);
  hashFeed(p.dob, true);
  hashFeed(p.sex, true);
  hashFeed(p.nationalId, true);
  hashFeed(p.weakId, true);
  hashFeed(p.maskedId, true);
  hashFeed(p.passport, true);
  hashFeed(p.weakPassport, true);
  hashFeed(p.phone, true);
  hashFeed(p.email, true);
  hashFeed(p.address, true);
  hashFeed(p.city, true);
  hashFeed(p.postcode, true);
  hashFeed(p.account, true);
  hashFeed(p.otherId, true);
  hashFeed(p.kycBound ? '1' : '0', false);
  return hashEnd();
}

/** True when the profile carries a strong key (`strongKeys(p).length > 0`, without the array). */
export function hasStrongKey(p: Profile): boolean {
  return !!p.nationalId || !!p.passport || !!p.account || (!!p.kycBound && !!p.phone && !!p.phoneValid);
}

/** A stable signature of the normalised content: identical profiles resolve identically. */
export function profileSignature(p: Profile): string {
  return [
    p.given,
    p.surname,
    p.dob,
    p.sex,
    p.nationalId,
    p.weakId,
    p.maskedId,
    p.passport,
    p.weakPassport,
    p.phone,
    p.email,
    p.address,
    p.city,
    p.postcode,
    p.account,
    p.otherId,
    p.kycBound ? 1 : 0,
  ].join('\u0001');
}
