import { typo } from './names.js';
import type { SyntheticPerson } from './person.js';
import type { Prng } from './prng.js';

/** Every source the generator writes for, each identifying people the way such a source does. */
export const SOURCES = [
  'pay',
  'shop',
  'ride',
  'food',
  'bank',
  'utility',
  'court',
  'market-regulator',
  'debtor-register',
  'city-civic-enrolment',
  'marketplace-enrolment',
] as const;

export type SourceId = (typeof SOURCES)[number];

export type GeneratedSubject = Record<string, string>;

const pinyinFull = (p: SyntheticPerson, western: boolean): string =>
  western ? `${p.givenName.pinyin} ${p.surname.pinyin}` : `${p.surname.pinyin} ${p.givenName.pinyin}`;

// The name in the person's own script: characters, or for a foreign resident the passport name.
const hanziFull = (p: SyntheticPerson): string =>
  p.passport
    ? `${p.surname.pinyin.toUpperCase()} ${p.givenName.pinyin}`
    : p.surname.hanzi + p.givenName.hanzi;

// The identity document a real-name source records: the resident ID, or the passport.
function document(p: SyntheticPerson, withMrz = false): GeneratedSubject {
  if (p.nationalId !== undefined) return { national_id: p.nationalId };
  const pp = p.passport as NonNullable<SyntheticPerson['passport']>;
  return withMrz
    ? { passport_number: pp.number, passport_country: pp.country, mrz: pp.mrz }
    : { passport_number: pp.number, passport_country: pp.country };
}

/**
 * The subject a source sends for a person. Each source keeps one record per person, so its
 * quirks (a typo at sign-up, names in the wrong fields) repeat on every fact it sends.
 *
 * @example
 * subjectFor('ride', makePerson(1, 0), new Prng(9)) // { phone: '+86…', given_name: 'Na', surname: 'Chen' }
 */
export function subjectFor(source: SourceId, p: SyntheticPerson, r: Prng): GeneratedSubject {
  switch (source) {
    case 'pay':
      // Real-name verified wallet: ID number, bound phone, name as on the ID card.
      return {
        ...document(p, true),
        phone: p.phone,
        surname: p.surname.pinyin,
        given_name: p.givenName.pinyin,
        account: `pay:${p.handles.pay}`,
      };
    case 'shop': {
      // Free-text name typed at sign-up: either order, sometimes characters, sometimes a typo.
      const x = r.next();
      const full =
        x < 0.1
          ? hanziFull(p)
          : x < 0.16
            ? `${typo(r, p.givenName.pinyin)} ${p.surname.pinyin}`
            : pinyinFull(p, x < 0.55);
      return { account: `shop:${p.handles.shop}`, phone: p.phone, full_name: full };
    }
    case 'ride': {
      // Only the phone and a name: given and family name sometimes swapped, sometimes misspelt.
      const x = r.next();
      if (x < 0.1) return { phone: p.phone, given_name: p.surname.pinyin, surname: p.givenName.pinyin };
      if (x < 0.18)
        return { phone: p.phone, given_name: typo(r, p.givenName.pinyin), surname: p.surname.pinyin };
      if (x < 0.28) return { phone: p.phone, given_name: p.givenName.hanzi, surname: p.surname.hanzi };
      return { phone: p.phone, given_name: p.givenName.pinyin, surname: p.surname.pinyin };
    }
    case 'food':
      return { phone: p.phone, full_name: hanziFull(p), account: `food:${p.handles.food}` };
    case 'bank':
      return {
        ...document(p),
        surname: p.surname.pinyin,
        given_name: p.givenName.pinyin,
        date_of_birth: p.dateOfBirth,
        sex: p.sex,
        phone: p.phone,
      };
    case 'utility': {
      // A customer number without a check digit and the name on the contract; the ID number only
      // on newer (real-name) contracts, the phone on most. A few records carry neither: only the
      // customer number, name and address tie them to a person.
      const s: GeneratedSubject = {
        other_id: `U${String(p.index * 7 + 1000003).padStart(9, '0')}`,
        full_name: r.chance(0.6) ? hanziFull(p) : `${p.surname.pinyin.toUpperCase()} ${p.givenName.pinyin}`,
        address: p.address,
      };
      if (r.chance(0.5)) Object.assign(s, document(p));
      if (r.chance(0.85)) s.phone = p.phone;
      return s;
    }
    case 'court':
      // The published list's fields: name in characters, sex, ID number.
      return { ...document(p), full_name: hanziFull(p), sex: p.sex };
    case 'debtor-register':
      // A register entry: the debtor's name as filed, birth date, document number, address.
      return {
        surname: p.surname.pinyin,
        given_name: p.givenName.pinyin,
        date_of_birth: p.dateOfBirth,
        ...document(p),
        address: p.address,
      };
    case 'market-regulator':
      return { ...document(p), full_name: hanziFull(p) };
    case 'city-civic-enrolment':
      return {
        ...document(p, true),
        full_name: hanziFull(p),
        phone: p.phone,
        date_of_birth: p.dateOfBirth,
      };
    case 'marketplace-enrolment':
      return { ...document(p), phone: p.phone, account: `pay:${p.handles.pay}` };
  }
}
