// Apart from load-mapping.ts so that mapping a file (on its own thread) does not load the YAML parser.
import type { Column, GridMapping, Mapping, RegisterMapping } from './load-mapping.js';
import { wordKey } from './row-values.js';

/** Every column a mapping reads, so a file's header can be checked before any row is mapped. */
export function mappingColumns(m: Mapping): string[] {
  const cols = new Set<string>();
  const add = (c: Column | undefined): void => {
    // With fallbacks, only the first column is required to exist in the header.
    if (c && c.columns.length > 0 && !c.optional) cols.add(c.columns[0] as string);
  };
  for (const c of Object.values(m.data)) add(c);
  if (m.skip) cols.add(m.skip.column);
  if (m.shape === 'events') {
    add(m.id);
    add(m.type);
    add(m.at);
  } else if (m.shape === 'register') {
    for (const k of m.key) cols.add(k);
    add(m.listed.at);
    if (m.mode === 'delta' && m.action) cols.add(m.action.column);
  } else {
    for (const k of m.key) cols.add(k);
    cols.add(m.column);
    add(m.lastMonth);
    add(m.amount);
  }
  return [...cols];
}

/**
 * Every column a mapping may read, optional ones and fallbacks included: a header that repeats
 * one of them leaves the mapping to guess which cell the furnisher meant.
 */
export function readColumns(m: Mapping): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown, depth: number): void => {
    if (depth > 8 || typeof x !== 'object' || x === null || x instanceof Set) return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(x)) {
      if ((k === 'columns' || k === 'key') && Array.isArray(v)) {
        for (const c of v) if (typeof c === 'string') out.add(c);
      } else if (k === 'column' && typeof v === 'string') out.add(v);
      else walk(v, depth + 1);
    }
  };
  walk(m, 0);
  return out;
}

/** Person-record fields whose letters are one letter in either case (a resident ID's check `x`). */
export const CASELESS_CODES: readonly string[] = ['national_id', 'passport_number', 'passport_country'];

/**
 * The positions in a register's key of columns read as a person's ID or passport number: folded to
 * upper case in the key, since `…002x` one month and `…002X` the next name the same entry, and an
 * entry taken for gone would be removed (and its flag lifted) while it is still on the list.
 */
export function caselessKeyPositions(m: RegisterMapping): readonly number[] {
  let out = caselessOf.get(m);
  if (out === undefined) {
    const cols = new Set(CASELESS_CODES.flatMap((f) => m.subject[f]?.columns ?? []));
    out = m.key.flatMap((k, i) => (cols.has(k) ? [i] : []));
    caselessOf.set(m, out);
  }
  return out;
}
const caselessOf = new WeakMap<RegisterMapping, readonly number[]>();

/**
 * For each position in a register's or a grid's key, the `values` table of the field read from that
 * column, if any: the key holds the table's own spelling of the word (`HC`), since a table reads a
 * cell ignoring case and full width, and `hc` the next month would name a new entry (the old one
 * taken for gone and its flag lifted while it is still on the list; an account's 23 repeated months
 * stored again).
 */
export function keyWordTables(
  m: RegisterMapping | GridMapping,
): readonly (Readonly<Record<string, unknown>> | undefined)[] {
  let out = wordTablesOf.get(m);
  if (out === undefined) {
    const specs = [...Object.values(m.subject), ...Object.values(m.data)];
    out = m.key.map((k) => specs.find((c) => c.values !== undefined && c.columns[0] === k)?.values);
    wordTablesOf.set(m, out);
  }
  return out;
}
const wordTablesOf = new WeakMap<
  RegisterMapping | GridMapping,
  readonly (Readonly<Record<string, unknown>> | undefined)[]
>();

/**
 * A stored entry's key (from its fact id) as the key of a row is read now: entries stored before
 * the fold, with a lower-case check character or a word of a `values` table spelt otherwise, are
 * the entries their rows name.
 */
export function foldStoredKey(m: RegisterMapping, key: string): string {
  const at = caselessKeyPositions(m);
  const words = keyWordTables(m);
  if (at.length === 0 && words.every((t) => t === undefined)) return key;
  const parts = key.split('|');
  // A key value holding `|` cannot be split back into its columns: left as it was stored.
  if (parts.length !== m.key.length) return key;
  for (const i of at) parts[i] = (parts[i] as string).toUpperCase();
  words.forEach((t, i) => {
    if (t !== undefined) parts[i] = wordKey(t, parts[i] as string) ?? (parts[i] as string);
  });
  return parts.join('|');
}

/**
 * The ids a stored entry's facts may start with for a row's key: as read now, and with its ID and
 * passport numbers in lower case, as stored before they were folded.
 */
export function storedKeyForms(m: RegisterMapping, key: string): string[] {
  const at = caselessKeyPositions(m);
  const parts = key.split('|');
  if (at.length === 0 || parts.length !== m.key.length) return [key];
  for (const i of at) parts[i] = (parts[i] as string).toLowerCase();
  const lower = parts.join('|');
  return lower === key ? [key] : [key, lower];
}
