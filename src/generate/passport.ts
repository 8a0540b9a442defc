import { affine } from './affine.js';
import type { NamePart } from './names.js';
import type { Prng } from './prng.js';

/** A foreign resident's passport, as a wallet's or a bank's document scan reads it. */
export interface Passport {
  /** Nine characters: a letter and eight digits. */
  readonly number: string;
  /** ICAO 9303 three-letter code of the issuing state (also the nationality here). */
  readonly country: string;
  /** ISO date. */
  readonly expiry: string;
  /** The two 44-character lines of the TD3 machine-readable zone, joined by a newline. */
  readonly mrz: string;
}

// Foreign residents by nationality. Weihai and Rongcheng face the Korean peninsula and have a
// large Korean community (an assumption of this sample, not a DOMAIN.md fact).
const NATIONALITIES: ReadonlyArray<{
  country: string;
  share: number;
  surnames: readonly string[];
  male: readonly string[];
  female: readonly string[];
}> = [
  {
    country: 'KOR',
    share: 0.6,
    surnames: ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang'],
    male: ['Minjun', 'Hyunwoo', 'Jihoon', 'Seojun'],
    female: ['Seoyeon', 'Jiwoo', 'Jiyeon', 'Minji'],
  },
  {
    country: 'RUS',
    share: 0.2,
    surnames: ['Ivanov', 'Smirnov', 'Petrov', 'Volkov'],
    male: ['Aleksandr', 'Dmitry', 'Sergey'],
    female: ['Anna', 'Elena', 'Olga'],
  },
  {
    country: 'GBR',
    share: 0.1,
    surnames: ['Smith', 'Jones', 'Taylor', 'Brown'],
    male: ['Oliver', 'James', 'Thomas'],
    female: ['Emily', 'Sophie', 'Anna Maria'],
  },
  {
    country: 'DEU',
    share: 0.1,
    surnames: ['Schmidt', 'Schneider', 'Fischer', 'Weber'],
    male: ['Lukas', 'Jonas', 'Felix'],
    female: ['Anna', 'Lea', 'Marie'],
  },
];

/** ICAO 9303 check digit: digits at face value, A–Z as 10–35, `<` as 0; weights 7, 3, 1. */
export function mrzCheckDigit(data: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += v * (weights[i % 3] as number);
  }
  return String(sum % 10);
}

const ANCHOR = Date.UTC(2026, 10, 1);

const mrzName = (s: string): string => s.toUpperCase().replace(/[^A-Z]+/g, '<');
const yymmdd = (iso: string): string => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);

/**
 * The TD3 machine-readable zone of a passport (two lines of 44), every check digit computed.
 *
 * @example
 * td3Mrz({ country: 'UTO', surname: 'Eriksson', given: 'Anna Maria', number: 'L898902C3',
 *          nationality: 'UTO', birth: '1974-08-12', sex: 'F', expiry: '2012-04-15', personal: 'ZE184226B' })
 * // 'P<UTOERIKSSON<<ANNA<MARIA<<<…\nL898902C36UTO7408122F1204159ZE184226B<<<<<10'
 */
export function td3Mrz(p: {
  country: string;
  surname: string;
  given: string;
  number: string;
  nationality: string;
  birth: string;
  sex: 'M' | 'F';
  expiry: string;
  personal?: string;
}): string {
  const line1 = `P<${p.country}${mrzName(p.surname)}<<${mrzName(p.given)}`.padEnd(44, '<').slice(0, 44);
  const num = p.number.padEnd(9, '<');
  const birth = yymmdd(p.birth);
  const expiry = yymmdd(p.expiry);
  const personal = (p.personal ?? '').padEnd(14, '<');
  const parts = [
    num + mrzCheckDigit(num),
    p.nationality,
    birth + mrzCheckDigit(birth),
    p.sex,
    expiry + mrzCheckDigit(expiry),
    personal + mrzCheckDigit(personal),
  ];
  const composite = (parts[0] as string) + (parts[2] as string) + (parts[4] as string) + (parts[5] as string);
  return `${line1}\n${parts.join('')}${mrzCheckDigit(composite)}`;
}

/** A foreign resident's name (in Latin letters everywhere, as on the passport) and passport. */
export function foreignIdentity(
  r: Prng,
  index: number,
  seedSalt: number,
  male: boolean,
  birth: string,
): { surname: NamePart; givenName: NamePart; passport: Passport } {
  const x = r.next();
  let acc = 0;
  const nat =
    NATIONALITIES.find((n) => {
      acc += n.share;
      return x < acc;
    }) ?? (NATIONALITIES[0] as (typeof NATIONALITIES)[0]);
  const surname = r.pick(nat.surnames);
  const given = r.pick(male ? nat.male : nat.female);
  // Unique per person, like the resident IDs: an affine bijection of the index.
  const number = `M${String(affine(index, seedSalt, 100_000_000)).padStart(8, '0')}`;
  // Issued in the ten and a half years before 2026-11-01 (the default end), valid ten years: by
  // then a few have expired, which a scan still reads but a KYC check flags.
  const issued = ANCHOR - r.next() * 10.5 * 365 * 86_400_000;
  const expiry = new Date(issued + 10 * 365 * 86_400_000).toISOString().slice(0, 10);
  const mrz = td3Mrz({
    country: nat.country,
    surname,
    given,
    number,
    nationality: nat.country,
    birth,
    sex: male ? 'M' : 'F',
    expiry,
  });
  return {
    surname: { hanzi: surname, pinyin: surname },
    givenName: { hanzi: given, pinyin: given },
    passport: { number, country: nat.country, expiry, mrz },
  };
}
