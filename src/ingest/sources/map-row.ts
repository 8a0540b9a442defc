import type { FieldValue, Subject } from '../../core/facts/fact.js';
import { residentIdCheckChar } from '../../identity/validate/resident-id.js';
import { IDENTIFIER_KINDS } from '../resolve/identifiers.js';
import type { EventsMapping, GridMapping, Mapping, RegisterMapping } from './load-mapping.js';
import { CASELESS_CODES, caselessKeyPositions, keyWordTables } from './mapping-columns.js';
import { whenText } from './register-diff.js';
import {
  cellValue,
  type Header,
  hasWord,
  mapFields,
  offsetMs,
  parseWhen,
  Refused,
  type RowRefusal,
  rawCell,
  spreadsheetDayNote,
  timeValue,
  wordKey,
} from './row-values.js';

/** A fact a row produced, before it is written as a JSON line for the ingest pipeline. */
export interface MappedFact {
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly subject: Subject;
  readonly data: Readonly<Record<string, FieldValue>>;
  /** The file line it came from (0 for a removal of an entry the snapshot no longer holds). */
  readonly line: number;
  /**
   * Set on a retraction of the same source's fact with this id (a removal scheduled on a
   * deletion date the register has since moved): only its id, date and target are written.
   */
  readonly retracts?: string;
  /**
   * Set on the removal a register's own deletion date schedules: the register has published the
   * date the entry ends, so the removal is stored dated then and the flag clears on time without
   * another import. Ingest takes it though it may lie ahead of its clock (`SourceLine.scheduled`).
   */
  readonly scheduled?: true;
  /**
   * Set on a repayment grid's months: the last month of the row's grid (`YYYY-MM`), which dates
   * the file's word on each month (a month corrected by a later file is stored anew).
   */
  readonly gridLastMonth?: string;
}

/** What a register row says about its entry. */
export interface EntryRow {
  readonly key: string;
  readonly line: number;
  readonly action: 'listing' | 'update' | 'removal';
  readonly listedAt: number;
  /** When the update or removal happened (delta files). */
  readonly at?: number;
  /** The entry's own deletion date, if the register publishes one. */
  readonly deletionAt?: number;
  readonly subject: Subject;
  readonly data: Readonly<Record<string, FieldValue>>;
}

export type Mapped<T> = T | RowRefusal | 'skip';

export function isRefusal(v: unknown): v is RowRefusal {
  return typeof v === 'object' && v !== null && typeof (v as RowRefusal).reason === 'string' && 'line' in v;
}

const IDENTIFYING: readonly string[] = ['subjectId', ...IDENTIFIER_KINDS];

/** Identifiers made of digits, which a spreadsheet may have read as a number. */
const NUMBER_LIKE_FIELDS = ['national_id', 'passport_number', 'phone', 'other_id'];
const SCIENTIFIC = /^[+-]?\d(?:\.\d+)?E\+?\d+$/i;

/**
 * A register row's full resident ID that a spreadsheet read as a number and wrote back: it keeps 15
 * significant digits, so an 18-digit ID ends in 000 and (ten times in eleven) fails its GB 11643
 * check character. A register names whom a flag and its bans go to: such a row is refused (its
 * entry kept) rather than listed, or moved, to a person of the garbled number. A full ID that fails
 * its check otherwise is a keying slip the court made, and listed as given (`register-diff.ts`).
 */
function refuseSpreadsheetId(
  m: RegisterMapping | GridMapping,
  header: Header,
  cells: readonly string[],
  id: string,
): void {
  if (!/^\d{15}000$/.test(id) || residentIdCheckChar(id) === id[17]) return;
  const c = m.subject.national_id;
  throw new Refused(
    (c && rawCell(header, cells, c)?.column) ?? c?.columns[0],
    `"${id}" fails its GB 11643 check character and ends in 000, as a spreadsheet writes an ID it read as a number (15 digits kept): format the column as text in the source and export it again`,
  );
}

/** An identifier behind a spreadsheet's text mark: digits, letters and what numbers are written with. */
const TEXT_MARK = /^'\s*[0-9A-Za-z][0-9A-Za-z+*().\- ]*$/;

/** Person-record fields of codes and numbers, whose full-width forms are the ASCII ones. */
const FOLDED_FIELDS = [
  'national_id',
  'passport_number',
  'passport_country',
  'phone',
  'email',
  'other_id',
  'mrz',
];

// Year-first dates identity resolution reads as they stand (`parseDate`): kept as sent, so the
// bodies of facts already stored stay the same.
const PLAIN_DATE = /^\d{4}(?:([-/.])\d{1,2}\1\d{1,2}|\d{4})$/;

/**
 * A date of birth as the mapping's other dates are read: year first (`1990-03-07`, `19900307`,
 * `1990/3/7`, `1990年3月7日`, full-width digits); a day- or month-first date (`07.03.1990`) or one
 * that is no calendar day is refused, never guessed. Written as `YYYY-MM-DD` unless identity reads
 * the text as it stands.
 */
function birthDate(text: string, column: string | undefined): string {
  const t = text.trim();
  if (PLAIN_DATE.test(t) && parseWhen(t, 'Z') !== undefined) return t;
  const ms = /^\d{4}-\d{2}-\d{2}[T ]/.test(t) ? undefined : parseWhen(t, 'Z');
  if (ms === undefined) {
    throw new Refused(
      column,
      `"${text}" is not a date (YYYY-MM-DD): a date of birth is read year first, never guessed${spreadsheetDayNote(text)}`,
    );
  }
  return new Date(ms).toISOString().slice(0, 10);
}

function subjectOf(m: Mapping, header: Header, cells: readonly string[]): Subject {
  const s = mapFields(header, cells, m.subject);
  const out: Subject = {};
  for (const [k, v] of Object.entries(s)) out[k] = String(v);
  // Identifiers typed in full width (１１０１０５…００２Ｘ, ＋８６…, a Chinese input method's full-width
  // mode) are the same identifiers: read as numbers and dates are, folded to their ASCII forms.
  // Text already in those forms is sent as it is (stored bodies stay the same).
  for (const k of FOLDED_FIELDS) {
    const v = out[k];
    if (v !== undefined) out[k] = v.normalize('NFKC');
  }
  // A leading apostrophe is a spreadsheet's mark that what follows is text (`'110105194912310021`),
  // which some exports keep: it is no part of the identifier (stored, it named a person no one is).
  for (const k of FOLDED_FIELDS) {
    const v = out[k];
    if (v !== undefined && TEXT_MARK.test(v)) out[k] = v.slice(1).trim();
  }
  // A resident ID has a fixed shape (18 characters, or 15 digits): written as a number with a
  // decimal part (`110105194912310021.0`), a spreadsheet read it as a number, so its last digits
  // may already be lost; stored, it would name a person no one is, check character or not.
  const nid = out.national_id;
  const nidSpec = m.subject.national_id;
  if (nid !== undefined && nidSpec !== undefined && /^\d{6,}\.\d+$/.test(nid)) {
    throw new Refused(
      rawCell(header, cells, nidSpec)?.column ?? nidSpec.columns[0],
      `"${nid}" is an ID number written as a spreadsheet writes a number (with a decimal part), not as text: its digits may be lost (format the column as text in the source and export it again)`,
    );
  }
  // An identifier a spreadsheet read as a number and shows in scientific notation (4.40106E+17)
  // has lost its digits: stored, it would name a person no one is.
  for (const k of NUMBER_LIKE_FIELDS) {
    const v = out[k];
    const c = m.subject[k];
    if (v === undefined || c === undefined || !SCIENTIFIC.test(v)) continue;
    throw new Refused(
      rawCell(header, cells, c)?.column ?? c.columns[0],
      `"${v}" is a number as a spreadsheet shows it, not an identifier: its digits are lost (format the column as text in the source and export it again)`,
    );
  }
  const dob = m.subject.date_of_birth;
  if (out.date_of_birth !== undefined && dob && dob.const === undefined) {
    out.date_of_birth = birthDate(out.date_of_birth, rawCell(header, cells, dob)?.column ?? dob.columns[0]);
  }
  if (!IDENTIFYING.some((k) => out[k] !== undefined)) {
    const cols = Object.entries(m.subject)
      .filter(([k]) => IDENTIFYING.includes(k))
      .flatMap(([, c]) => c.columns);
    throw new Refused(
      cols.join(', ') || undefined,
      'no identifier for the person (a national ID, passport, phone, account, e-mail or other ID is needed)',
    );
  }
  return out;
}

function skipped(m: Mapping, header: Header, cells: readonly string[]): boolean {
  if (!m.skip) return false;
  const i = header.get(m.skip.column);
  return i !== undefined && hasWord(m.skip.values, (cells[i] ?? '').trim());
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * A key column's text in one form: a case code typed with full-width brackets one month
 * (`（2025）鲁1082执100号`) and ASCII ones the next names the same entry, as a full-width ID number
 * names the same person. ASCII text is returned as it is (the common case, no ICU call).
 */
export function foldKeyText(v: string): string {
  return NON_ASCII.test(v) ? v.normalize('NFKC') : v;
}

/**
 * A register row's person with ID and passport numbers in upper case, as its key has them: an
 * entry whose ID is written `…002x` one month and `…002X` the next holds the same content, so no
 * update is made of it. (Platform exports send theirs as written: a fact stored before under the
 * same id with another body would be a conflict.)
 */
function caselessCodes(s: Subject): Subject {
  for (const k of CASELESS_CODES) {
    const v = s[k];
    if (v !== undefined) s[k] = v.toUpperCase();
  }
  return s;
}

/**
 * The text of an entry's or account's key: its key columns' values, folded, joined by `|`; those
 * at `upper` (ID and passport numbers, `caselessKeyPositions`) in upper case.
 */
export function keyOf(
  keyColumns: readonly string[],
  header: Header,
  cells: readonly string[],
  upper: readonly number[] = [],
  words: readonly (Readonly<Record<string, unknown>> | undefined)[] = [],
): string {
  const parts: string[] = [];
  keyColumns.forEach((k, n) => {
    const i = header.get(k);
    const cell = i === undefined ? '' : (cells[i] ?? '').trim();
    // An ID number column of the key behind a spreadsheet's text mark is the same entry's.
    const v = upper.includes(n) && TEXT_MARK.test(cell) ? cell.slice(1).trim() : cell;
    if (v.length === 0) throw new Refused(k, 'is empty (it identifies the entry)');
    const folded = foldKeyText(v);
    const table = words[n];
    const word = table === undefined ? undefined : wordKey(table, folded);
    parts.push(word ?? (upper.includes(n) ? folded.toUpperCase() : folded));
  });
  return parts.join('|');
}

/**
 * A register row's data with the fields read from its key columns folded as the key is: a
 * rulebook's flag keyed on them (city-civic's `[court, case]`) then pairs a removal written in
 * full width with the listing written in ASCII.
 */
function keyFieldsFolded(m: RegisterMapping, data: Record<string, FieldValue>): Record<string, FieldValue> {
  let fields = keyFieldsOf.get(m);
  if (fields === undefined) {
    fields = Object.entries(m.data)
      .filter(([, spec]) => spec.columns.some((c) => m.key.includes(c)))
      .map(([field]) => field);
    keyFieldsOf.set(m, fields);
  }
  for (const field of fields) {
    const v = data[field];
    if (typeof v === 'string') data[field] = foldKeyText(v);
  }
  return data;
}
const keyFieldsOf = new WeakMap<RegisterMapping, readonly string[]>();

/**
 * A register's data fields read from a column the mapping reads as a date (the listing's, an
 * update's or removal's, the deletion date, the snapshot's `asOf`), written as `YYYY-MM-DD` (a
 * midnight in the mapping's time zone) or an ISO instant, however the file writes them. Compared as
 * text, a list saved again from a spreadsheet (`2025/3/1` for `2025-03-01`) made every entry of the
 * next snapshot an update that changed nothing. A value that is no date is left as it is.
 */
function datesWritten(m: RegisterMapping, data: Record<string, FieldValue>): Record<string, FieldValue> {
  let fields = dateFieldsOf.get(m);
  if (fields === undefined) {
    const dated = new Set(
      [m.listed.at, m.updated?.at, m.removed.at, m.deletion, m.asOf].flatMap((c) => c?.columns ?? []),
    );
    fields = Object.entries(m.data)
      .filter(([, spec]) => spec.type === 'string' && spec.columns.some((c) => dated.has(c)))
      .map(([field]) => field);
    dateFieldsOf.set(m, fields);
  }
  for (const field of fields) {
    const v = data[field];
    if (typeof v !== 'string') continue;
    const at = parseWhen(v, m.timeZone, m.localTimes);
    if (at !== undefined) data[field] = whenText(at, m.timeZone);
  }
  return data;
}
const dateFieldsOf = new WeakMap<RegisterMapping, readonly string[]>();

/** The entry a register row names, or undefined when a key column is empty (or missing). */
export function entryKeyOf(m: RegisterMapping, header: Header, cells: readonly string[]): string | undefined {
  try {
    // A key value of the wrong width (leading zeros lost) names no entry that can be told.
    if (m.widths.some((w) => m.key.includes(w.column))) checkWidths(m, header, cells);
    return keyOf(m.key, header, cells, caselessKeyPositions(m), keyWordTables(m));
  } catch (e) {
    if (e instanceof Refused) return undefined;
    throw e;
  }
}

/**
 * Refuses a row whose value in a column of a declared width (`format: { widths }`) is of another
 * length. Digits short of it are what a spreadsheet leaves of an identifier it read as a number
 * (`007123` → `7123`): stored, it names another account, entry or person. Without a declared
 * width nothing tells `7123` from a legitimate short number, so nothing is guessed.
 */
function checkWidths(m: Mapping, header: Header, cells: readonly string[]): void {
  for (const { column, width } of m.widths) {
    const i = header.get(column);
    if (i === undefined) continue;
    const raw = (cells[i] ?? '').trim();
    if (raw.length === 0) continue;
    const v = raw.normalize('NFKC');
    const text = TEXT_MARK.test(v) ? v.slice(1).trim() : v;
    if (text.length === width) continue;
    const lost =
      /^\d+$/.test(text) && text.length < width
        ? `: digits short of it are what a spreadsheet that read the column as a number leaves (leading zeros dropped, ${'0'.repeat(width - text.length)}${text} written ${text}); format the column as text in the source and export it again`
        : '';
    throw new Refused(
      column,
      `"${raw}" has ${text.length} character${text.length === 1 ? '' : 's'}, and the mapping declares the column ${width} wide (format.widths)${lost}`,
    );
  }
}

function guard<T>(line: number, f: () => T): T | RowRefusal {
  try {
    return f();
  } catch (e) {
    if (e instanceof Refused) return { line, ...(e.column ? { column: e.column } : {}), reason: e.reason };
    throw e;
  }
}

/**
 * One row of a platform export → one fact. Pure: the same row always gives the same fact.
 *
 * @example
 * mapEventRow(m, header, { line: 2, cells: ['ord-1', 'purchase', '2026-03-01T10:00:00Z', ...] })
 */
export function mapEventRow(
  m: EventsMapping,
  header: Header,
  line: number,
  cells: readonly string[],
): Mapped<MappedFact> {
  if (skipped(m, header, cells)) return 'skip';
  return guard(line, () => {
    checkWidths(m, header, cells);
    const id = String(cellValue(header, cells, m.id));
    const type = String(cellValue(header, cells, m.type));
    if (!m.types.includes(type)) {
      throw new Refused(
        m.type.columns[0],
        `event type "${type}" is not among the types source ${m.source} may send`,
      );
    }
    const at = timeValue(header, cells, m.at, m.timeZone, m.localTimes) as number;
    const subject = subjectOf(m, header, cells);
    const data = {
      ...mapFields(header, cells, m.data),
      ...mapFields(header, cells, m.dataByType[type] ?? {}),
    };
    return { id, type, at, subject, data, line };
  });
}

/** One row of a register (snapshot or delta) → what it says about its entry. */
export function mapEntryRow(
  m: RegisterMapping,
  header: Header,
  line: number,
  cells: readonly string[],
  mode: 'snapshot' | 'delta',
  now: number = Date.now(),
): Mapped<EntryRow> {
  if (skipped(m, header, cells)) return 'skip';
  return guard(line, () => {
    checkWidths(m, header, cells);
    const key = keyOf(m.key, header, cells, caselessKeyPositions(m), keyWordTables(m));
    let action: EntryRow['action'] = 'listing';
    if (mode === 'delta') {
      const a = m.action;
      if (!a) throw new Refused(undefined, 'the mapping has no action column, so it cannot read deltas');
      const i = header.get(a.column);
      const v = i === undefined ? '' : (cells[i] ?? '').trim();
      if (hasWord(a.listing, v)) action = 'listing';
      else if (hasWord(a.update, v)) {
        // What is missing is in the mapping, not the row: "needs its date" sent people to the row.
        if (!m.updated)
          throw new Refused(
            a.column,
            `"${v}": the mapping declares no update event type (register.updated), so an update cannot be stored`,
          );
        if (!m.updated.at)
          throw new Refused(
            a.column,
            `"${v}": the mapping names no column dating an update (register.updated.at), so an update cannot be dated`,
          );
        action = 'update';
      } else if (hasWord(a.removal, v)) action = 'removal';
      else {
        throw new Refused(
          a.column,
          `"${v}" is not one of: ${[...a.listing, ...a.update, ...a.removal].join(', ')}`,
        );
      }
    }
    const listedAt = timeValue(header, cells, m.listed.at, m.timeZone, m.localTimes) as number;
    let at: number | undefined;
    if (action === 'update' && m.updated?.at)
      at = timeValue(header, cells, m.updated.at, m.timeZone, m.localTimes);
    if (action === 'removal' && m.removed.at)
      at = timeValue(header, cells, m.removed.at, m.timeZone, m.localTimes);
    // A delta listing may carry the change date too: an entry back on the list after a removal
    // keeps its old registration date, so its relisting is dated by the change.
    if (mode === 'delta' && action === 'listing' && m.removed.at) {
      at = timeValue(header, cells, m.removed.at, m.timeZone, m.localTimes);
    }
    if (mode === 'delta' && action !== 'listing' && at === undefined) {
      const c = action === 'update' ? m.updated?.at : m.removed.at;
      throw new Refused(c?.columns[0], `a delta ${action} needs its date`);
    }
    // A delta says what happened: a change dated after today (a mistyped year, 2062 for 2026)
    // would take effect then, and a removed debtor would keep the flag and its bans until that day.
    // (A snapshot dated after today is refused likewise; a register's own deletion dates are not
    // changes and may lie ahead.)
    if (mode === 'delta') {
      const c = at !== undefined ? (action === 'update' ? m.updated?.at : m.removed.at) : m.listed.at;
      const when = at ?? listedAt;
      if (c && when > now) {
        const i = c.columns.map((k) => header.get(k)).find((x) => x !== undefined && (cells[x] ?? '').trim());
        const text = i === undefined ? '' : (cells[i] ?? '').trim();
        const today = new Date(now + offsetMs(m.timeZone)).toISOString().slice(0, 10);
        throw new Refused(
          c.columns[0],
          `"${text}" is after today (${today}): a delta says what happened, and a change dated ahead would take effect only then`,
        );
      }
    }
    const deletionAt = m.deletion
      ? timeValue(header, cells, m.deletion, m.timeZone, m.localTimes)
      : undefined;
    // A register deletes an entry some time after entering it: a deletion date before the entry's
    // own date is a slip (2025 typed for 2028), and read as written it would date the entry's end
    // before its start, so the snapshot took the entry for one already deleted and stored nothing,
    // without a word: a listed debtor gone from the import unseen.
    if (deletionAt !== undefined && deletionAt < listedAt && m.deletion) {
      throw new Refused(
        rawCell(header, cells, m.deletion)?.column ?? m.deletion.columns[0],
        `"${whenText(deletionAt, m.timeZone)}" is before the entry's date (${whenText(listedAt, m.timeZone)}, column ${rawCell(header, cells, m.listed.at)?.column ?? m.listed.at.columns[0]}): a register deletes an entry after entering it`,
      );
    }
    const subject = caselessCodes(subjectOf(m, header, cells));
    if (subject.national_id !== undefined) refuseSpreadsheetId(m, header, cells, subject.national_id);
    return {
      key,
      line,
      action,
      listedAt,
      ...(at !== undefined ? { at } : {}),
      ...(deletionAt !== undefined ? { deletionAt } : {}),
      subject,
      data: datesWritten(m, keyFieldsFolded(m, mapFields(header, cells, m.data))),
    };
  });
}

// Year first: `2026-06`, `202606`, `2026/6` (as spreadsheets write it), `2026年6月`.
const MONTH = /^(\d{4})(?:[-/.](\d{1,2})|(\d{2})|年(\d{1,2})月)$/;

/** Months in a repayment grid, as the PBoC report prints it (docs/sources.md). */
export const GRID_MONTHS = 24;

/** What a repayment-grid character means (PBoC report legend). */
export type GridStatus =
  | { readonly kind: 'normal' }
  | { readonly kind: 'overdue'; readonly cycle: number }
  | { readonly kind: 'settled'; readonly how: 'C' | 'G' | 'Z' }
  | { readonly kind: 'defaulted' }
  | { readonly kind: 'none' };

/**
 * N normal; 1-7 months overdue; C settled; G terminated; Z settled with assets; D paid by the
 * guarantor (the borrower defaulted); # unknown, `*` and `/` no instalment due: no fact at all,
 * never a guess.
 */
export function gridStatus(ch: string): GridStatus | undefined {
  if (ch === 'N') return { kind: 'normal' };
  if (ch >= '1' && ch <= '7') return { kind: 'overdue', cycle: Number(ch) };
  if (ch === 'C' || ch === 'G' || ch === 'Z') return { kind: 'settled', how: ch };
  if (ch === 'D') return { kind: 'defaulted' };
  if (ch === '#' || ch === '*' || ch === '/') return { kind: 'none' };
  return undefined;
}

/**
 * One bureau account row → one fact per month of its repayment grid. Month `i` of a 24-character
 * grid ending in `lastMonth` is `lastMonth − (23 − i)`; its fact id is `account#YYYY-MM`, so the next
 * month's file, which repeats 23 of these months, adds only the new one.
 *
 * @example
 * // grid "/".repeat(20) + "NN1C" ending 2026-04: repaid (Jan, Feb), 1 month overdue (Mar),
 * // settled (Apr); the 20 months before, nothing due, give no fact
 */
export function mapGridRow(
  m: GridMapping,
  header: Header,
  line: number,
  cells: readonly string[],
  now: number = Date.now(),
): Mapped<MappedFact[]> {
  if (skipped(m, header, cells)) return 'skip';
  return guard(line, () => {
    checkWidths(m, header, cells);
    const key = keyOf(m.key, header, cells, [], keyWordTables(m));
    const raw = rawCell(header, cells, { columns: [m.column], type: 'string', optional: false });
    if (!raw) throw new Refused(m.column, 'is empty');
    // The legend's letters and digits written in lower case or full width (ｎ, １) are the same
    // statuses; anything else, a space included (a blank month or a separator?), is refused below.
    const grid = raw.text.normalize('NFKC').toUpperCase();
    const last = String(cellValue(header, cells, m.lastMonth));
    const mm = MONTH.exec(last.normalize('NFKC'));
    const lastNo = Number(mm?.[2] ?? mm?.[3] ?? mm?.[4]);
    if (!mm || !(lastNo >= 1 && lastNo <= 12)) {
      throw new Refused(m.lastMonth.columns[0], `"${last}" is not a month (YYYY-MM)`);
    }
    const amount = cellValue(header, cells, m.amount) as number;
    // An instalment is what the borrower owes each month: a negative one is a broken file, and
    // would turn an overdue month into a credit.
    if (amount < 0) throw new Refused(m.amount.columns[0], `must not be negative, got ${amount}`);
    const subject = subjectOf(m, header, cells);
    // As in a register: 15 digits then 000, failing the check, is what a spreadsheet writes back.
    if (subject.national_id !== undefined) refuseSpreadsheetId(m, header, cells, subject.national_id);
    const data = mapFields(header, cells, m.data);
    const lastIndex = Number(mm[1]) * 12 + lastNo - 1;
    // A grid reports months that have passed: a last month still to come (a mistyped year, 2036
    // for 2026) would store repayments of months that have not happened, each counting once the
    // clock reaches it. The current month, in the mapping's time zone, is the latest a file holds.
    const today = new Date(now + offsetMs(m.timeZone));
    const currentIndex = today.getUTCFullYear() * 12 + today.getUTCMonth();
    if (lastIndex > currentIndex) {
      const current = `${today.getUTCFullYear()}-${String(today.getUTCMonth() + 1).padStart(2, '0')}`;
      throw new Refused(
        m.lastMonth.columns[0],
        `"${last}" is after the current month (${current}): a bureau cannot report months still to come`,
      );
    }
    const out: MappedFact[] = [];
    const gridLastMonth = `${Math.floor(lastIndex / 12)}-${String((lastIndex % 12) + 1).padStart(2, '0')}`;
    const tz = m.timeZone === 'Z' ? 'Z' : m.timeZone;
    const statuses = [...grid].map((ch, i) => {
      const st = gridStatus(ch);
      if (!st) {
        throw new Refused(
          m.column,
          `character ${i + 1} "${ch}" is not a grid status (N, 1-7, C, G, D, Z, #, *, /)`,
        );
      }
      return st;
    });
    // Months are counted back from the last one: a grid a month short (or long) would date every
    // month before the gap wrongly, for good (next month's full grid would then conflict).
    if (statuses.length !== GRID_MONTHS) {
      throw new Refused(
        m.column,
        `has ${statuses.length} months; a repayment grid has ${GRID_MONTHS} (one character per month, oldest first)`,
      );
    }
    for (let i = 0; i < statuses.length; i++) {
      const st = statuses[i] as GridStatus;
      if (st.kind === 'none') continue;
      const mi = lastIndex - (statuses.length - 1 - i);
      const month = `${Math.floor(mi / 12)}-${String((mi % 12) + 1).padStart(2, '0')}`;
      const at = Date.parse(`${month}-${String(m.day).padStart(2, '0')}T00:00:00${tz}`);
      const id = `${key}#${month}`;
      const base = { id, at, subject, line, gridLastMonth };
      const t = m.gridTypes;
      if (st.kind === 'normal')
        out.push({ ...base, type: t.normal, data: { ...data, amount, days_late: 0 } });
      else if (st.kind === 'overdue') {
        out.push({ ...base, type: t.overdue, data: { ...data, amount: amount * st.cycle, cycle: st.cycle } });
      } else if (st.kind === 'settled')
        out.push({ ...base, type: t.settled, data: { ...data, amount, how: st.how } });
      else out.push({ ...base, type: t.defaulted, data: { ...data, amount } });
    }
    return out;
  });
}
