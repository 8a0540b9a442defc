import { CredenceError } from '../errors/index.js';

// RFC 3339 date-time with an explicit offset, or a plain date (taken as midnight UTC). RFC 3339
// lets "T" and "Z" be written in lower case.
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2})))?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the parts of an INSTANT match name a real calendar day and clock time: `Date.parse`
 * rolls 2026-02-30 over to 2 March instead of refusing it.
 */
function isRealInstant(m: RegExpExecArray): boolean {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return false;
  if (m[4] === undefined) return true;
  return (
    Number(m[4]) <= 23 &&
    Number(m[5]) <= 59 &&
    (m[6] === undefined || Number(m[6]) <= 59) &&
    (m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59))
  );
}

/**
 * Parses an ISO 8601 instant into epoch milliseconds. A date without a time is midnight UTC;
 * a time must carry its offset, since a score must not depend on the machine's time zone.
 *
 * @example
 * parseInstant('2026-03-01T10:00:00Z') // 1772359200000
 */
export function parseInstant(text: string, what = 'time'): number {
  const m = typeof text === 'string' ? INSTANT.exec(text) : null;
  if (m === null) {
    throw new CredenceError(
      'CREDENCE_E_USAGE',
      `${what} "${String(text)}" is not an ISO 8601 date (2026-03-01) or instant with a time zone (e.g. 2026-03-01T10:00:00Z)`,
    );
  }
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms) || !isRealInstant(m))
    throw new CredenceError('CREDENCE_E_USAGE', `${what} "${text}" is not a real date`);
  return ms;
}

export function tryParseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return parseInstant(text);
  } catch {
    return undefined;
  }
}

export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
