import { lazyModule } from '../lazy-module.js';

// Loaded only when a fact carries a machine-readable zone (KYC).
const mrzLib = lazyModule<typeof import('mrz')>(import.meta.url, 'mrz');

/** One ICAO 9303 check digit: what the document carries and what its data computes to. */
export interface MrzCheckDigit {
  /** e.g. `documentNumber`, `birthDate`, `expirationDate`, `personalNumber`, `composite`. */
  name: string;
  valid: boolean;
  found: string;
  expected: string;
}

/** A parsed machine-readable zone: its fields, every check digit, and whether it has expired. */
export interface MrzResult {
  /** `TD1` (ID card, three lines), `TD2`, `TD3` (passport, two lines), … or undefined if unreadable. */
  format?: string;
  /** Well-formed: the format is known, every check digit is right and every field readable. */
  valid: boolean;
  documentCode?: string;
  issuingState?: string;
  nationality?: string;
  documentNumber?: string;
  surname?: string;
  givenNames?: string;
  /** ISO date. */
  birthDate?: string;
  sex?: 'M' | 'F';
  /** ISO date. */
  expiryDate?: string;
  /** Only known when `asOf` was given; an expired document is still well-formed. */
  expired?: boolean;
  checks: MrzCheckDigit[];
  /** Every field that failed, named (`Document number check digit: found 7, expected 6`). */
  problems: string[];
}

// ICAO's specimen state ("Utopia") appears on every specimen document; the mrz package rejects it.
const SPECIMEN_STATES = new Set(['UTO']);

/** ICAO 9303 check digit: digits face value, A–Z 10–35, `<` 0, weights 7 3 1. */
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

/**
 * Parses a TD1 (three lines of 30), TD2 or TD3 (two lines of 44) MRZ, checking every check
 * digit. Pass `asOf` (epoch ms) to learn whether the document has expired; the core has no clock.
 *
 * @example
 * const r = parseMrz(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
 *                     'L898902C36UTO7408122F1204159ZE184226B<<<<<10'], { asOf: Date.parse('2026-01-01') });
 * r.valid // true; r.expired // true; r.documentNumber // 'L898902C3'
 */
export function parseMrz(input: string | readonly string[], opts: { asOf?: number } = {}): MrzResult {
  const lines = (typeof input === 'string' ? input.split(/\r?\n/) : [...input])
    .map((l) => l.trim().toUpperCase())
    .filter((l) => l.length > 0);
  let parsed: ReturnType<typeof import('mrz')['parse']>;
  try {
    parsed = mrzLib().parse(lines);
  } catch (e) {
    const lengths = lines.map((l) => l.length).join(', ');
    return {
      valid: false,
      checks: [],
      problems: [
        `not a readable MRZ (${lines.length} lines of ${lengths} characters): ${(e as Error).message}`,
      ],
    };
  }
  const slice = (r: { line: number; start: number; end: number }) =>
    (lines[r.line] ?? '').slice(r.start, r.end);
  const checks: MrzCheckDigit[] = [];
  const problems: string[] = [];
  for (const d of parsed.details) {
    const isCheck = d.label.endsWith('check digit');
    if (isCheck) {
      const [own, ...covered] = d.ranges;
      const found = own ? slice(own) : '';
      // A personal number left empty may carry `<` as its check digit (ICAO 9303-4 4.2.2.2).
      const data = covered.map(slice).join('');
      const expected = mrzCheckDigit(data);
      const emptyOk = found === '<' && /^<*$/.test(data);
      const valid = d.valid || emptyOk || found === expected;
      checks.push({
        name: (d.field ?? d.label).replace(/CheckDigit$/, ''),
        valid,
        found,
        expected: emptyOk ? '<' : expected,
      });
      if (!valid) problems.push(`${d.label}: found ${found}, expected ${expected}`);
      continue;
    }
    if (d.valid) continue;
    const raw = d.ranges[0] ? slice(d.ranges[0]) : '';
    if ((d.field === 'issuingState' || d.field === 'nationality') && SPECIMEN_STATES.has(raw)) continue;
    problems.push(`${d.label}: ${d.error ?? 'invalid'}`);
  }
  const f = parsed.fields as Record<string, string | null | undefined>;
  const rawOf = (field: string) => parsed.details.find((d) => d.field === field)?.ranges[0];
  const rawText = (field: string) => {
    const r = rawOf(field);
    return r ? slice(r) : undefined;
  };
  const state = (field: string) => {
    const v = f[field] ?? rawText(field)?.replace(/<+$/, '');
    return v ? v : undefined;
  };
  const result: MrzResult = { format: parsed.format, valid: problems.length === 0, checks, problems };
  assign(result, 'documentCode', f.documentCode);
  assign(result, 'issuingState', state('issuingState'));
  assign(result, 'nationality', state('nationality'));
  assign(result, 'documentNumber', parsed.documentNumber ?? f.documentNumber);
  assign(result, 'surname', f.lastName);
  assign(result, 'givenNames', f.firstName);
  if (f.sex === 'male') result.sex = 'M';
  else if (f.sex === 'female') result.sex = 'F';
  const expiry = f.expirationDate ? yymmdd(f.expirationDate, 'expiry') : undefined;
  const birth = f.birthDate ? yymmdd(f.birthDate, 'birth', opts.asOf, expiry) : undefined;
  // Six digits whose check digit is right may still be no day (740231): a keying slip the check
  // digit was computed over, or a forged zone. Such a document is not well-formed.
  for (const [label, iso] of [
    ['Birth date', birth],
    ['Expiration date', expiry],
  ] as const) {
    if (iso !== undefined && !isCalendarDate(iso)) {
      problems.push(`${label}: ${iso} is not a calendar date`);
      result.valid = false;
    }
  }
  if (birth !== undefined && isCalendarDate(birth)) assign(result, 'birthDate', birth);
  if (expiry !== undefined && isCalendarDate(expiry)) assign(result, 'expiryDate', expiry);
  if (result.expiryDate && opts.asOf !== undefined)
    result.expired = Date.parse(`${result.expiryDate}T23:59:59Z`) < opts.asOf;
  return result;
}

function assign<K extends keyof MrzResult>(r: MrzResult, k: K, v: MrzResult[K] | null | undefined): void {
  if (v !== undefined && v !== null && v !== '') r[k] = v;
}

// Two-digit years: a birth date is never in the future; expiry dates are this century unless far
// past. A birth date is compared whole with `asOf`, not by its year: born 261220 read on
// 2026-11-29 is 1926-12-20 (a centenarian), not a birth three weeks ahead. Nor is anyone born
// after their document expires: born 280615 on a passport expiring 2027-03-01 is 1928. Without
// `asOf` and with a later expiry, years up to 30 are read as 20xx (as before).
function yymmdd(s: string, kind: 'birth' | 'expiry', asOf?: number, expiry?: string): string | undefined {
  if (!/^\d{6}$/.test(s)) return undefined;
  const yy = Number(s.slice(0, 2));
  const rest = `-${s.slice(2, 4)}-${s.slice(4, 6)}`;
  if (kind === 'expiry') return `${(yy >= 70 ? 1900 : 2000) + yy}${rest}`;
  const recent = `${2000 + yy}${rest}`;
  const old = `${1900 + yy}${rest}`;
  if (expiry !== undefined && recent > expiry) return old;
  if (asOf === undefined) return yy > 30 ? old : recent;
  const today = new Date(asOf).toISOString().slice(0, 10);
  return recent > today ? old : recent;
}

function isCalendarDate(iso: string): boolean {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === iso;
}
