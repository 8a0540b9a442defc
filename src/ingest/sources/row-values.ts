import type { FieldValue } from '../../core/facts/fact.js';
import { tryParseInstant } from '../../core/time/instant.js';
import type { Column, Fields } from './load-mapping.js';

/** A row the mapping cannot turn into facts: where (row, column) and why. */
export interface RowRefusal {
  readonly line: number;
  readonly column?: string;
  readonly reason: string;
}

/** A header read: column name → position. */
export type Header = ReadonlyMap<string, number>;

export function headerOf(cells: readonly string[]): Map<string, number> {
  const h = new Map<string, number>();
  cells.forEach((c, i) => {
    h.set(c.trim(), i);
  });
  return h;
}

/** Thrown inside the mapper and caught per row: a refusal never escapes as an exception. */
export class Refused extends Error {
  constructor(
    readonly column: string | undefined,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A value as furnishers' words are compared when not written exactly: full width and case folded. */
export function foldWord(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * A table's entry for a cell: written exactly, else the one key it equals once full width and case
 * are folded (`Listed`, `Ｆ`, `ORGANISATION`); none when no key, or more than one, is that word.
 *
 * @example
 * lookupWord({ M: 'M', F: 'F' }, 'f') // 'F'
 */
export function lookupWord<T>(table: Readonly<Record<string, T>>, text: string): T | undefined {
  if (Object.hasOwn(table, text)) return table[text];
  const folded = foldWord(text);
  let hit: T | undefined;
  let hits = 0;
  for (const [k, v] of Object.entries(table)) {
    if (foldWord(k) === folded) {
      hit = v;
      hits++;
    }
  }
  return hits === 1 ? hit : undefined;
}

/**
 * The key of `table` a cell names, as `lookupWord` matches it (`hc` for `HC`), or undefined: the
 * one spelling an entry key holds, whichever way a file writes the word.
 */
export function wordKey(table: Readonly<Record<string, unknown>>, text: string): string | undefined {
  if (Object.hasOwn(table, text)) return text;
  const folded = foldWord(text);
  const hits = Object.keys(table).filter((k) => foldWord(k) === folded);
  return hits.length === 1 ? hits[0] : undefined;
}

/** Whether a cell is one of a set of words, compared as `lookupWord` compares them. */
export function hasWord(words: ReadonlySet<string>, text: string): boolean {
  if (words.has(text)) return true;
  // Asked for every row (a skip column): the set is folded once.
  let folded = foldedSets.get(words);
  if (!folded) {
    folded = new Set([...words].map(foldWord));
    foldedSets.set(words, folded);
  }
  return folded.has(foldWord(text));
}

const foldedSets = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

const NUMBER = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)?(?:\.\d+)?$/;
/** Significant digits a double always gives back as written. */
const MAX_DIGITS = 15;
const TRUE = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'f']);

/** The raw text of the first non-empty column of a spec, and which column it came from. */
export function rawCell(
  header: Header,
  cells: readonly string[],
  c: Column,
): { text: string; column: string } | undefined {
  for (const name of c.columns) {
    const i = header.get(name);
    if (i === undefined) continue;
    const text = (cells[i] ?? '').trim();
    if (text.length > 0) return { text, column: name };
  }
  return undefined;
}

/**
 * The value a column spec gives for a row, typed; undefined for an empty optional cell.
 * Throws `Refused` naming the column for a required empty cell, a value outside `values`,
 * or text that is not of the declared type.
 */
export function cellValue(header: Header, cells: readonly string[], c: Column): FieldValue | undefined {
  if (c.const !== undefined) return c.const;
  const raw = rawCell(header, cells, c);
  const col = c.columns[0];
  if (!raw) {
    if (c.optional) return undefined;
    // A column the header lacks is not an empty cell: the furnisher would look for empty cells.
    throw new Refused(col, c.columns.some((x) => header.has(x)) ? 'is empty' : 'is not in the header');
  }
  let v: FieldValue = raw.text;
  if (c.values) {
    const mapped = lookupWord(c.values, raw.text);
    if (mapped === undefined) {
      throw new Refused(raw.column, `"${raw.text}" is not one of: ${Object.keys(c.values).join(', ')}`);
    }
    v = mapped;
  }
  if (typeof v === 'string') {
    if (c.type === 'number') {
      // Digits with a decimal point, thousands grouped by commas in threes (`1,234.56`); a decimal
      // comma (`120,50` was 12050), hex, an exponent or a currency sign is refused, not guessed.
      const t = v.normalize('NFKC').trim();
      if (!NUMBER.test(t) || !/\d/.test(t)) throw new Refused(raw.column, `"${raw.text}" is not a number`);
      // A number keeps 15 significant digits: more were rounded away unseen (an amount of
      // 99999999999999999999999 was stored as 1e+23, 12345678901234567.89 as 12345678901234568).
      const digits = t.replace(/\D/g, '').replace(/^0+/, '').replace(/0+$/, '');
      const n = Number(t.replace(/,/g, ''));
      if (digits.length > MAX_DIGITS || !Number.isFinite(n)) {
        const why = Number.isFinite(n)
          ? `has ${digits.length} significant digits, and a number keeps ${MAX_DIGITS}`
          : 'is beyond the largest number';
        throw new Refused(
          raw.column,
          `"${raw.text}" ${why}: stored, it would be another number (is it an identifier? map it as text)`,
        );
      }
      return n;
    }
    if (c.type === 'boolean') {
      const l = v.toLowerCase();
      if (TRUE.has(l)) return true;
      if (FALSE.has(l)) return false;
      throw new Refused(raw.column, `"${raw.text}" is not a yes/no value`);
    }
  }
  return v;
}

/** Maps every field of a block (subject or data). */
export function mapFields(
  header: Header,
  cells: readonly string[],
  fields: Fields,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [k, c] of Object.entries(fields)) {
    const v = cellValue(header, cells, c);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

// Year first, with one separator used throughout and a month and day of one or two digits (as
// spreadsheets write `2024/3/5`), or eight digits; day- or month-first dates are never guessed.
const DATE = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2}))$/;
const CN_DATE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
// A lower-case t or z too, as RFC 3339 (5.6) allows and credence ingest reads them (60b0a58).
const INSTANT = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;
// A date (any of the year-first forms above) and a time of day with no offset: a wall-clock time.
const LOCAL = /^(.+?)[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * A date or instant cell as epoch ms. A date without a time (`2024-03-05`, `2024/3/5`,
 * `20240305`, `2024年3月5日`) is midnight in the mapping's time zone; an instant must carry its offset.
 * Returns undefined when the text is neither.
 *
 * @example
 * parseWhen('2024-03-05', '+08:00') // Date.parse('2024-03-05T00:00:00+08:00')
 */
export function parseWhen(text: string, timeZone: string, localTimes = false): number | undefined {
  // Lists repeat the same few thousand dates: parse each once per time zone.
  const key = `${timeZone}${localTimes ? 'L' : ''}\u0000${text}`;
  const hit = whenCache.get(key);
  if (hit !== undefined || whenCache.has(key)) return hit;
  if (whenCache.size > 100_000) whenCache.clear();
  const ms = parseWhenUncached(text, timeZone, localTimes);
  whenCache.set(key, ms);
  return ms;
}

const whenCache = new Map<string, number | undefined>();

function parseWhenUncached(text: string, timeZone: string, localTimes: boolean): number | undefined {
  // Full-width digits and separators (２０２４－０３－０５), as Chinese registers often type them.
  const t = text.normalize('NFKC').trim();
  const d = DATE.exec(t);
  const cn = d ? undefined : CN_DATE.exec(t);
  const ymd = d ? [d[1], d[3] ?? d[5], d[4] ?? d[6]] : cn ? [cn[1], cn[2], cn[3]] : undefined;
  if (ymd) {
    const iso = `${ymd[0]}-${(ymd[1] as string).padStart(2, '0')}-${(ymd[2] as string).padStart(2, '0')}`;
    const ms = Date.parse(`${iso}T00:00:00${timeZone === 'Z' ? 'Z' : timeZone}`);
    if (Number.isNaN(ms) || new Date(ms + offsetMs(timeZone)).toISOString().slice(0, 10) !== iso)
      return undefined;
    return ms;
  }
  // An impossible day or time (2026-02-30T10:00:00Z) is refused, not rolled over by Date.parse.
  if (INSTANT.test(t)) return tryParseInstant(t.replace(' ', 'T'));
  if (localTimes) return localTime(t, timeZone);
  return undefined;
}

/** A wall-clock time (`2026-06-01 10:00:00`, `2026/6/1 9:05`) in the mapping's declared zone. */
function localTime(t: string, timeZone: string): number | undefined {
  const l = LOCAL.exec(t);
  if (!l) return undefined;
  const day = parseWhenUncached(l[1] as string, timeZone, false);
  const [h, mi, se, ms] = [l[2], l[3], l[4] ?? '0', (l[5] ?? '0').padEnd(3, '0')].map(Number) as number[];
  if (day === undefined || !DATE_ONLY(l[1] as string)) return undefined;
  if ((h as number) > 23 || (mi as number) > 59 || (se as number) > 59) return undefined;
  return day + (((h as number) * 60 + (mi as number)) * 60 + (se as number)) * 1000 + (ms as number);
}

const DATE_ONLY = (s: string): boolean => {
  const t = s.normalize('NFKC');
  return DATE.test(t) || CN_DATE.test(t);
};

/** Whether a cell is a wall-clock time with no offset, which only a mapping that declares its zone reads. */
export function isLocalTime(text: string): boolean {
  const l = LOCAL.exec(text.normalize('NFKC').trim());
  return l !== null && DATE_ONLY(l[1] as string);
}

/** A mapping's time zone (`Z`, `+08:00`) as milliseconds east of UTC. */
export function offsetMs(tz: string): number {
  if (tz === 'Z') return 0;
  const sign = tz.startsWith('-') ? -1 : 1;
  return sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6))) * 60_000;
}

/**
 * What a number of five digits in a date column likely is: the day count a spreadsheet shows for a
 * date cell it did not format (Excel counts from 1899-12-30, so 45123 is 2023-07-16). Said in the
 * refusal, never read as that day: a workbook may count from 1904, and the cell may be no date.
 */
export function spreadsheetDayNote(text: string): string {
  const t = text.normalize('NFKC').trim();
  if (!/^\d{5}(?:\.\d+)?$/.test(t)) return '';
  const day = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(t)) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return `: it looks like a spreadsheet's day number (${day} as Excel counts), which is never guessed; format the column as a date (YYYY-MM-DD) in the source and export it again`;
}

/** A time column's value for a row, or `Refused`. */
export function timeValue(
  header: Header,
  cells: readonly string[],
  c: Column,
  timeZone: string,
  localTimes = false,
): number | undefined {
  const v = cellValue(header, cells, c);
  if (v === undefined) return undefined;
  const raw = rawCell(header, cells, c);
  const ms = parseWhen(String(v), timeZone, localTimes);
  if (ms === undefined && !localTimes && isLocalTime(String(v))) {
    throw new Refused(
      raw?.column ?? c.columns[0],
      `"${String(v)}" has a time of day but no time zone: declare the file's zone in the mapping (format: { timeZone: "+08:00" }) to read its times there`,
    );
  }
  if (ms === undefined) {
    const t = String(v).normalize('NFKC').trim();
    // Written as a date or an instant, but a day or time the calendar has not (2026-02-30): saying
    // it is of another form sent the furnisher looking for a format problem.
    if (DATE.test(t) || CN_DATE.test(t) || INSTANT.test(t))
      throw new Refused(
        raw?.column ?? c.columns[0],
        `"${String(v)}" names no such day or time (the month has fewer days, or the hour or minute is out of range)`,
      );
    throw new Refused(
      raw?.column ?? c.columns[0],
      `"${String(v)}" is not a date (YYYY-MM-DD) or an instant with a time zone${spreadsheetDayNote(String(v))}`,
    );
  }
  return ms;
}
