import { isDayMonthSwap } from '../normalise/date.js';
import type { Profile } from '../profile.js';
import { compareMaskedId } from '../validate/masked-id.js';
import { hamming, jaroWinkler, tokenJaccard, withinOneEdit } from './string-similarity.js';

/** One compared field and its outcome levels, best first. Level -1 means a value is missing. */
export interface ComparisonSpec {
  field: string;
  levels: readonly string[];
  /** Levels whose weight is set by policy, not learned (strong identifiers, the mask). */
  fixed?: Readonly<Record<string, number>>;
  /** Largest weight a level may carry whatever is learned (weak evidence stays weak). */
  cap?: Readonly<Record<string, number>>;
}

export const COMPARISONS: readonly ComparisonSpec[] = [
  // Two clearly different given names are strong evidence against, whatever EM learns from
  // twins and siblings who agree on everything else.
  { field: 'given_name', levels: ['exact', 'close', 'similar', 'initial', 'differs'], cap: { differs: -14 } },
  { field: 'surname', levels: ['exact', 'close', 'similar', 'differs'] },
  // A day/month swap is weak evidence, never a match on its own.
  {
    field: 'date_of_birth',
    levels: ['exact', 'one-edit', 'day-month-swap', 'differs'],
    cap: { 'day-month-swap': 1.5 },
  },
  { field: 'sex', levels: ['exact', 'differs'] },
  {
    field: 'national_id',
    levels: ['exact', 'conflict', 'weak-exact', 'close', 'masked-consistent', 'differs'],
    // Two different valid resident IDs are two people; the mask alone never makes a match.
    fixed: { exact: 20, conflict: -20, 'masked-consistent': 4 },
  },
  { field: 'passport', levels: ['exact', 'close', 'differs'], fixed: { exact: 20 } },
  { field: 'phone', levels: ['exact', 'differs'] },
  { field: 'email', levels: ['exact', 'same-local', 'differs'] },
  { field: 'address', levels: ['exact', 'close', 'similar', 'differs'] },
  { field: 'city', levels: ['exact', 'close', 'differs'] },
  { field: 'postcode', levels: ['exact', 'one-edit', 'differs'] },
  { field: 'other_id', levels: ['exact', 'one-edit', 'differs'] },
  // People hold several accounts, so different accounts say nothing.
  { field: 'account', levels: ['exact', 'differs'], fixed: { exact: 20, differs: 0 } },
];

export const C = {
  given: 0,
  surname: 1,
  dob: 2,
  sex: 3,
  nationalId: 4,
  passport: 5,
  phone: 6,
  email: 7,
  address: 8,
  city: 9,
  postcode: 10,
  otherId: 11,
  account: 12,
} as const;

export const COMPARISON_COUNT = COMPARISONS.length;

function nameSim(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const jw = jaroWinkler(a, b);
  // Two neighbouring letters swapped is a slip of the keyboard at any length, but Jaro's window
  // is too narrow to see it in a short name: Yna for Yan scored 0.56, "clearly different" (-14),
  // so a ride record with the person's phone made a person of its own when it came first.
  return jw < 0.8 && swappedNeighbours(a, b) ? 0.8 : jw;
}

/** True when `b` is `a` with one pair of neighbouring letters swapped (`yan`, `yna`). */
function swappedNeighbours(a: string, b: string): boolean {
  if (a.length !== b.length || a.length < 2) return false;
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i >= a.length - 1) return false;
  if (a.charCodeAt(i) !== b.charCodeAt(i + 1) || a.charCodeAt(i + 1) !== b.charCodeAt(i)) return false;
  for (let j = i + 2; j < a.length; j++) if (a.charCodeAt(j) !== b.charCodeAt(j)) return false;
  return true;
}

function givenLevel(a: string | undefined, b: string | undefined, sim: number): number {
  if (!a || !b) return -1;
  if (a === b) return 0;
  if (sim >= 0.92) return 1;
  if (sim >= 0.8) return 2;
  if ((a.length === 1 || b.length === 1) && a.charCodeAt(0) === b.charCodeAt(0)) return 3;
  return 4;
}

function surnameLevel(a: string | undefined, b: string | undefined, sim: number): number {
  if (!a || !b) return -1;
  if (a === b) return 0;
  return sim >= 0.92 ? 1 : sim >= 0.8 ? 2 : 3;
}

/**
 * Whether the two records' given and family names line up better swapped (Chinese order
 * written in Western form, or fields filled the wrong way round).
 */
export function namesSwapped(a: Profile, b: Profile): boolean {
  return alignNames(a, b) < 0;
}

// Similarities of the aligned names, set by alignNames (no allocation on the hot path).
let simGiven = 0;
let simSurname = 0;

/** Aligns names: returns -1 when swapped, 1 otherwise, leaving the similarities in simGiven/simSurname. */
function alignNames(a: Profile, b: Profile): number {
  const gg = nameSim(a.given, b.given);
  const ss = nameSim(a.surname, b.surname);
  simGiven = gg;
  simSurname = ss;
  if (gg + ss >= 1.999) return 1;
  if (!(a.given || a.surname) || !(b.given || b.surname)) return 1;
  const gs = nameSim(a.given, b.surname);
  const sg = nameSim(a.surname, b.given);
  if (gs + sg > gg + ss + 0.15) {
    simGiven = gs;
    simSurname = sg;
    return -1;
  }
  return 1;
}

function idLevel(a: Profile, b: Profile): number {
  if (a.nationalId && b.nationalId) return a.nationalId === b.nationalId ? 0 : 1;
  const x = a.nationalId ?? a.weakId;
  const y = b.nationalId ?? b.weakId;
  if (x && y) {
    if (x === y) return 2;
    return hamming(x, y) <= 2 || withinOneEdit(x, y) ? 3 : 5;
  }
  const masked = a.maskedId ?? b.maskedId;
  const other = a.maskedId ? (b.nationalId ?? b.weakId ?? b.maskedId) : (a.nationalId ?? a.weakId);
  if (masked && other) {
    const c = compareMaskedId(masked, other);
    if (!c.consistent) return 5;
    return c.visible >= 10 ? 4 : -1;
  }
  return -1;
}

function passportLevel(a: Profile, b: Profile): number {
  if (a.passport && b.passport) {
    if (a.passport === b.passport) return 0;
    const na = a.passport.slice(a.passport.indexOf(':') + 1);
    const nb = b.passport.slice(b.passport.indexOf(':') + 1);
    return withinOneEdit(na, nb) ? 1 : 2;
  }
  const x = a.weakPassport ?? a.passport?.slice(a.passport.indexOf(':') + 1);
  const y = b.weakPassport ?? b.passport?.slice(b.passport.indexOf(':') + 1);
  if (!x || !y) return -1;
  return withinOneEdit(x, y) ? 1 : 2;
}

function dobLevel(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return -1;
  if (a === b) return 0;
  if (isDayMonthSwap(a, b)) return 2;
  return withinOneEdit(a, b) ? 1 : 3;
}

function simpleLevel(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return -1;
  return a === b ? 0 : 1;
}

function emailLevel(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return -1;
  if (a === b) return 0;
  const la = a.slice(0, a.lastIndexOf('@'));
  return la.length >= 4 && la === b.slice(0, b.lastIndexOf('@')) ? 1 : 2;
}

const isNumber = (w: string): boolean => w.charCodeAt(0) >= 48 && w.charCodeAt(0) <= 57;

const SAME_NUMBERS = 0;
const SOME_NUMBERS = 1;
const OTHER_NUMBERS = 2;

/**
 * How the numbers (house, building, room) of two addresses' words compare: the same, or numbers
 * on one side only (SAME_NUMBERS); most shared, as one mistyped or another flat of one building
 * (SOME_NUMBERS); fewer than half shared (OTHER_NUMBERS): 5 and 91 Hebei Road sharing a room
 * number 401 are two buildings, and with a common name (Li Wei) came out one person.
 */
function compareNumbers(ta: readonly string[], tb: readonly string[]): number {
  let inA = 0;
  let shared = 0;
  for (const w of ta) {
    if (!isNumber(w)) continue;
    inA++;
    if (tb.includes(w)) shared++;
  }
  let inB = 0;
  for (const w of tb) if (isNumber(w)) inB++;
  if (inA === 0 || inB === 0 || (shared === inA && shared === inB)) return SAME_NUMBERS;
  return shared * 2 >= inA + inB - shared ? SOME_NUMBERS : OTHER_NUMBERS;
}

/** The words of an address that are not numbers, space-separated. */
function nameWords(tokens: readonly string[]): string {
  let out = '';
  for (const w of tokens) if (!isNumber(w)) out = out === '' ? w : `${out} ${w}`;
  return out;
}

export function addressLevel(a: Profile, b: Profile): number {
  if (!a.address || !b.address) return -1;
  if (a.address === b.address) return 0;
  const ta = a.addressTokens ?? [];
  const tb = b.addressTokens ?? [];
  // Numbers on both sides and fewer than half shared: different places, however alike their
  // words (two flats of one city sharing only "road", "building", "room" and the city came out
  // "similar").
  const numbers = compareNumbers(ta, tb);
  if (numbers === OTHER_NUMBERS) return 3;
  const jac = tokenJaccard(ta, tb);
  // "Close" needs the same numbers (or numbers on one side only): 104 and 146 Hebei Road, both
  // with a room 404, are two buildings of one street, not one address mistyped.
  const sameNumbers = numbers === SAME_NUMBERS;
  if (jac >= 0.6 && sameNumbers) return 1;
  // Over the names in the addresses only (street, district, city), not their numbers or street
  // types: the full strings of two addresses in one city share a skeleton ("133 … road building …
  // rm … rongcheng"), and two streets sharing only a house or room number came out "similar",
  // which with a common name (Zhang Wei) went over the link threshold.
  const jw = jaroWinkler(nameWords(ta), nameWords(tb));
  if (jw >= 0.92 && sameNumbers) return 1;
  if (jw >= 0.8 || jac >= 0.3) return 2;
  return 3;
}

function placeLevel(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return -1;
  if (a === b) return 0;
  return jaroWinkler(a, b) >= 0.9 ? 1 : 2;
}

/**
 * A customer or file number: a digit replaced by another, or two neighbouring digits swapped,
 * is not a typo's evidence here, as such numbers are handed out in sequence, so the same digits
 * in another order are most often another customer's number (U001001172 and U001001872 were two
 * people, and so were U001000073 and U001000703, both 王伟: the swap weighed +9 and, with the
 * name, filed one under the other). A digit dropped or doubled, or a letter mistyped, gives a
 * number nobody was handed, so it still is one edit.
 */
function identifierEditLevel(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return -1;
  if (a === b) return 0;
  if (a.length === b.length) {
    let first = -1;
    let second = -1;
    for (let i = 0; i < a.length; i++) {
      if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
      if (first < 0) first = i;
      else if (second < 0) second = i;
      else return 2;
    }
    const digits = (i: number) => isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(i));
    if (second < 0 && digits(first)) return 2;
    if (
      second === first + 1 &&
      digits(first) &&
      digits(second) &&
      a.charCodeAt(first) === b.charCodeAt(second) &&
      a.charCodeAt(second) === b.charCodeAt(first)
    )
      return 2;
  }
  return withinOneEdit(a, b) ? 1 : 2;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function editLevel(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return -1;
  if (a === b) return 0;
  return withinOneEdit(a, b) ? 1 : 2;
}

/**
 * Fills `out` with the level of every comparison for the pair (-1: missing on a side) and
 * says whether the names were compared swapped.
 */
export function compareProfiles(a: Profile, b: Profile, out: Int8Array, skipAddress = false): boolean {
  const swapped = alignNames(a, b) < 0;
  const bg = swapped ? b.surname : b.given;
  const bs = swapped ? b.given : b.surname;
  out[0] = givenLevel(a.given, bg, simGiven);
  out[1] = surnameLevel(a.surname, bs, simSurname);
  out[2] = dobLevel(a.dob, b.dob);
  out[3] = simpleLevel(a.sex, b.sex);
  out[4] = idLevel(a, b);
  out[5] = passportLevel(a, b);
  out[6] = simpleLevel(a.phone, b.phone);
  out[7] = emailLevel(a.email, b.email);
  // -2: not computed yet (the costly address comparison is done only when it can matter).
  out[8] = skipAddress ? -2 : addressLevel(a, b);
  out[9] = placeLevel(a.city, b.city);
  out[10] = editLevel(a.postcode, b.postcode);
  out[11] = identifierEditLevel(a.otherId, b.otherId);
  out[12] = simpleLevel(a.account, b.account);
  return swapped;
}

/** The values of a profile each comparison reads, for explanations. */
export function comparedValue(p: Profile, c: number): string | undefined {
  switch (c) {
    case 0:
      return p.given;
    case 1:
      return p.surname;
    case 2:
      return p.dob;
    case 3:
      return p.sex;
    case 4:
      return p.nationalId ?? p.weakId ?? p.maskedId;
    case 5:
      return p.passport ?? p.weakPassport;
    case 6:
      return p.phone;
    case 7:
      return p.email;
    case 8:
      return p.address;
    case 9:
      return p.city;
    case 10:
      return p.postcode;
    case 11:
      return p.otherId;
    case 12:
      return p.account;
    default:
      return undefined;
  }
}
