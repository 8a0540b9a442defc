import { isCountryCode, passportCountryKey } from '../identity/validate/country.js';
import { compareMaskedId } from '../identity/validate/masked-id.js';
import { residentIdKey, validateResidentId } from '../identity/validate/resident-id.js';

/** What a qualifier said about a candidate, and how much it moved the score. */
export interface QualifierNote {
  readonly field: 'date_of_birth' | 'id' | 'sex' | 'country';
  readonly outcome: 'match' | 'close' | 'differs' | 'unknown';
  readonly detail: string;
  readonly weight: number;
}

/**
 * `YYYY-MM-DD` (also `1990/3/7`), `YYYYMMDD`, `1990年3月7日` or `YYYY` → digits (`19900307`,
 * `1990`), else undefined (so is a day that does not exist, such as 1990-02-30, and a day-first
 * date, which cannot be told from a month-first one).
 */
export function dobDigits(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.normalize('NFKC').trim();
  if (/^\d{4}$/.test(t)) return t;
  // Year first, as the importer reads dates: 1990-03-07, 1990/3/7, 19900307, 1990年3月7日.
  const ymd = DOB.exec(t);
  if (!ymd) return undefined;
  const y = Number(ymd[1]);
  const m = Number(ymd[3] ?? ymd[5] ?? ymd[7]);
  const d = Number(ymd[4] ?? ymd[6] ?? ymd[8]);
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return undefined;
  return `${ymd[1]}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

const DOB = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2})|年(\d{1,2})月(\d{1,2})日)$/;

/**
 * Date of birth: the same day adds confidence; the same year only a little; day and month swapped
 * is a common keying slip; any other difference counts strongly against (a namesake).
 */
export function compareDob(q: string, c: string): QualifierNote {
  return dobNote(q, c);
}

/** The weight `compareDob` gives, without building the note (the screener ranks thousands). */
export function dobWeight(q: string, c: string): number {
  if (q.length === 4 || c.length === 4) return q.slice(0, 4) === c.slice(0, 4) ? 0.03 : -0.35;
  if (q === c) return 0.08;
  if (q.slice(0, 4) === c.slice(0, 4) && q.slice(4, 6) === c.slice(6, 8) && q.slice(6, 8) === c.slice(4, 6))
    return 0;
  return -0.35;
}

function dobNote(q: string, c: string): QualifierNote {
  const field = 'date_of_birth' as const;
  if (q.length === 4 || c.length === 4) {
    return q.slice(0, 4) === c.slice(0, 4)
      ? { field, outcome: 'close', detail: `same birth year ${q.slice(0, 4)}`, weight: 0.03 }
      : { field, outcome: 'differs', detail: `born ${c.slice(0, 4)}, not ${q.slice(0, 4)}`, weight: -0.35 };
  }
  if (q === c) return { field, outcome: 'match', detail: `born ${fmt(c)}`, weight: 0.08 };
  if (q.slice(0, 4) === c.slice(0, 4) && q.slice(4, 6) === c.slice(6, 8) && q.slice(6, 8) === c.slice(4, 6)) {
    return { field, outcome: 'close', detail: `born ${fmt(c)} (day and month swapped)`, weight: 0 };
  }
  return { field, outcome: 'differs', detail: `born ${fmt(c)}, not ${fmt(q)}`, weight: -0.35 };
}

const fmt = (d: string): string => (d.length === 8 ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d);

/**
 * Why a full resident ID (18 characters, none masked) cannot be trusted: it fails its GB 11643
 * check character or birth date. Undefined for a valid one and for anything not of that length.
 */
function failedResidentId(id: string): string | undefined {
  if (id.length !== 18 || id.includes('*')) return undefined;
  const check = validateResidentId(id);
  return check.valid ? undefined : check.problems.join('; ');
}

/** A resident ID, full or masked as court lists print it, or of the first generation (15 digits). */
const RESIDENT_ID = /^(?:[\dX*]{18}|\d{15})$/;

/**
 * An ID number as written, without what people write between its digits: spaces, hyphens and
 * other dashes, dots (`110101-19900307-4514`), and full-width forms read as ASCII (NFKC).
 */
export function idText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\p{Pd}.]/gu, '')
    .toUpperCase();
}

/**
 * An ID number (full or masked as court lists print it) against the candidate's. A full resident ID
 * that fails its check, on either side, is a keying slip: never trusted (DESIGN.md), so it neither
 * confirms nor rules out the candidate.
 */
export function compareId(q: string, c: string): QualifierNote {
  // Full-width digits and letters (a Chinese input method's full-width mode) are the same ID.
  // A first-generation 15-digit ID is compared as its 18-character upgrade (residentIdKey).
  const a = residentIdKey(idText(q));
  const b = residentIdKey(idText(c));
  if (RESIDENT_ID.test(a) !== RESIDENT_ID.test(b)) {
    // A passport number cannot tell a resident ID's holder from anyone else, nor the reverse.
    return {
      field: 'id',
      outcome: 'unknown',
      detail: `ID number ${RESIDENT_ID.test(a) ? 'given is a resident ID, the one listed is not' : 'given is not a resident ID, the one listed is'}: not compared`,
      weight: 0,
    };
  }
  const bad = failedResidentId(a) ?? failedResidentId(b);
  if (bad !== undefined) {
    const whose = failedResidentId(a) !== undefined ? `ID number ${a} given` : 'listed ID number';
    return {
      field: 'id',
      outcome: 'unknown',
      detail: `${whose} fails its own check (${bad}): not used`,
      weight: 0,
    };
  }
  if (a.length === b.length && (a.includes('*') || b.includes('*'))) {
    const r = compareMaskedId(a, b);
    return r.consistent
      ? {
          field: 'id',
          outcome: 'match',
          detail: `ID agrees on its ${r.visible} visible characters`,
          weight: 0.15,
        }
      : { field: 'id', outcome: 'differs', detail: 'ID number differs', weight: -1 };
  }
  return a === b
    ? { field: 'id', outcome: 'match', detail: 'same ID number', weight: 0.2 }
    : { field: 'id', outcome: 'differs', detail: 'ID number differs', weight: -1 };
}

export function compareSex(q: string, c: string): QualifierNote {
  return q === c
    ? { field: 'sex', outcome: 'match', detail: `sex ${c}`, weight: 0.01 }
    : { field: 'sex', outcome: 'differs', detail: `sex ${c}, not ${q}`, weight: -0.25 };
}

/**
 * Country codes compared within one system: ISO 3166 (two letters, `CN`, which Credence gives a
 * resident ID's holder) or ICAO 9303 (three, `CHN`, or `D`, as passports and their MRZ print them).
 * An ISO code is read as its ICAO three letters (`passportCountryKey`: `CN` is `CHN`, `D` is `DEU`);
 * a two-letter code outside ISO's table cannot be told equal to a three-letter one or not: neither
 * counts then, rather than a national being ruled out as a foreigner.
 */
export function compareCountry(qText: string, cText: string): QualifierNote {
  const q = qText.normalize('NFKC').trim().toUpperCase();
  const c = cText.normalize('NFKC').trim().toUpperCase();
  // Text that is no code (`中国`, as a relying party may send it) tells nothing either.
  if (!/^[A-Z]{1,3}$/.test(q) || !/^[A-Z]{1,3}$/.test(c)) {
    return {
      field: 'country',
      outcome: 'unknown',
      detail: `country "${/^[A-Z]{1,3}$/.test(q) ? cText : qText}" is not a code: not used`,
      weight: 0,
    };
  }
  // A code of no country (`CNH` for CHN, as a furnisher's file or a relying party may mistype
  // it) tells nothing: compared, it ruled a national out as a foreigner (-0.25).
  if (!isCountryCode(q) || !isCountryCode(c)) {
    return {
      field: 'country',
      outcome: 'unknown',
      detail: `country ${isCountryCode(q) ? c : q} is no country's code: not used`,
      weight: 0,
    };
  }
  // Read in one system: an ISO code as its three letters (CN is CHN), Germany's MRZ D as DEU.
  const qk = passportCountryKey(q);
  const ck = passportCountryKey(c);
  if ((qk.length === 2) !== (ck.length === 2)) {
    return {
      field: 'country',
      outcome: 'unknown',
      detail: `country ${c} and ${q} are codes of two systems: not used`,
      weight: 0,
    };
  }
  return qk === ck
    ? { field: 'country', outcome: 'match', detail: `country ${c}`, weight: 0.01 }
    : { field: 'country', outcome: 'differs', detail: `country ${c}, not ${q}`, weight: -0.25 };
}
