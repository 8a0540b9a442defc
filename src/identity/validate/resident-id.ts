import { parseDate } from '../normalise/date.js';

/** The outcome of checking a GB 11643 resident ID; problems are empty when it is valid. */
export interface ResidentIdCheck {
  valid: boolean;
  /** Upper-cased, spaces removed; a first-generation 15-digit ID upgraded to its 18 characters. */
  id: string;
  /** The 15 digits given, when `id` is their upgrade. */
  upgradedFrom?: string;
  areaCode?: string;
  /** ISO date encoded in digits 7–14. */
  birthDate?: string;
  sex?: 'M' | 'F';
  expectedCheck?: string;
  problems: string[];
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/** The GB 11643 check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
}

/**
 * The 18-character form of a first-generation 15-digit resident ID (6-digit area, YYMMDD,
 * 3-digit sequence, no check character): "19" goes before the year and the GB 11643 check
 * character is appended, as the issuing offices did when they replaced the cards. Undefined when
 * the text is not 15 digits or digits 7-12 are not a date of the 1900s. Anything else is
 * returned as given (spaces removed, upper-cased).
 *
 * @example
 * upgradeResidentId('110105491231002') // '11010519491231002X'
 */
export function upgradeResidentId(raw: string): string | undefined {
  const id = raw.replace(/\s+/g, '');
  if (!/^\d{15}$/.test(id)) return undefined;
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  if (!parseDate(first17.slice(6, 14)).valid) return undefined;
  return first17 + residentIdCheckChar(first17);
}

/**
 * The one spelling a resident ID is keyed by: full-width characters folded (NFKC), spaces removed,
 * upper-cased, and a valid
 * first-generation 15-digit ID upgraded to 18 characters, so one person sent under both forms
 * holds one key.
 *
 * @example
 * residentIdKey('110105491231002') === residentIdKey('11010519491231002x') // true
 */
export function residentIdKey(raw: string): string {
  const id = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return upgradeResidentId(id) ?? id;
}

/**
 * Validates a GB 11643 resident ID: shape, birth date, check character, and — when the
 * record states them — that the birth date and the sex digit agree with the record.
 *
 * @example
 * validateResidentId('11010519491231002X').valid // true
 * validateResidentId('11010519491231002X', { sex: 'M' }).problems // ['sex digit says F, record says M']
 */
export function validateResidentId(
  raw: string,
  against: { dob?: string; sex?: string } = {},
): ResidentIdCheck {
  // Full-width digits and X (a Chinese input method's full-width mode) are the ASCII ones.
  const given = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  const problems: string[] = [];
  // A first-generation ID (issued until 2004, valid until replaced) carries no check character:
  // it is keyed by its 18-character upgrade, so a person sent under both forms is one person.
  if (/^\d{15}$/.test(given)) {
    const upgraded = upgradeResidentId(given);
    if (!upgraded) {
      return {
        valid: false,
        id: given,
        problems: [`digits 7-12 (${given.slice(6, 12)}) of a 15-digit ID are not a calendar date`],
      };
    }
    return { ...validateResidentId(upgraded, against), upgradedFrom: given };
  }
  const id = given;
  if (!SHAPE.test(id)) {
    return {
      valid: false,
      id,
      problems: ['not 17 digits followed by a digit or X (nor a 15-digit first-generation ID)'],
    };
  }
  const birth = parseDate(id.slice(6, 14));
  const out: ResidentIdCheck = { valid: false, id, areaCode: id.slice(0, 6), problems };
  if (!birth.valid) problems.push(`digits 7-14 (${id.slice(6, 14)}) are not a calendar date`);
  else out.birthDate = birth.iso;
  out.sex = (id.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F';
  const expected = residentIdCheckChar(id);
  out.expectedCheck = expected;
  if (id[17] !== expected) problems.push(`check character is ${id[17]}, expected ${expected}`);
  if (against.dob && birth.valid) {
    const stated = parseDate(against.dob);
    if (stated.valid && stated.iso !== birth.iso) {
      problems.push(`birth date digits say ${birth.iso}, record says ${stated.iso}`);
    }
  }
  const sex = against.sex ? normaliseSexCode(against.sex) : undefined;
  if (sex && sex !== out.sex) problems.push(`sex digit says ${out.sex}, record says ${sex}`);
  out.valid = problems.length === 0;
  return out;
}

/** 'M', 'F' or undefined for the usual spellings (m, male, 男, f, female, 女). */
export function normaliseSexCode(raw: string): 'M' | 'F' | undefined {
  const s = raw.trim().toLowerCase();
  if (s === 'm' || s === 'male' || s === '男' || s === 'man') return 'M';
  if (s === 'f' || s === 'female' || s === '女' || s === 'woman') return 'F';
  return undefined;
}
