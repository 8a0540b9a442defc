/** A normalised date: the eight digits YYYYMMDD, and whether they form a calendar date. */
export interface NormalisedDate {
  /** YYYYMMDD digits, kept even when not a real date so that typos can still be compared. */
  digits: string;
  valid: boolean;
  /** ISO form when valid. */
  iso?: string;
}

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Normalises a date given as ISO (`1990-03-07`, also with `/` or `.`) or `YYYYMMDD`.
 *
 * @example
 * parseDate('19900307') // { digits: '19900307', valid: true, iso: '1990-03-07' }
 * parseDate('19901307') // { digits: '19901307', valid: false }
 */
export function parseDate(raw: string): NormalisedDate {
  const s = raw.trim().slice(0, 10);
  const m = ISO.exec(s) ?? COMPACT.exec(s);
  if (!m) return { digits: s.replace(/\D+/g, ''), valid: false };
  const y = m[1] as string;
  const mo = (m[2] as string).padStart(2, '0');
  const d = (m[3] as string).padStart(2, '0');
  const digits = y + mo + d;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const dt = new Date(t);
  const valid =
    dt.getUTCFullYear() === Number(y) && dt.getUTCMonth() === Number(mo) - 1 && dt.getUTCDate() === Number(d);
  return valid ? { digits, valid, iso: `${y}-${mo}-${d}` } : { digits, valid };
}

/** True when two YYYYMMDD strings differ only by day and month being swapped (weak evidence, not a match). */
export function isDayMonthSwap(a: string, b: string): boolean {
  if (a.length !== 8 || b.length !== 8 || a === b) return false;
  return (
    a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)
  );
}
